#!/usr/bin/env node
import { runPlugin } from '@ocm-plugin-kit/sdk';
import { plugin } from './plugin.js';

void runPlugin(plugin);
