/** Renders a release of the templates for a project's answers. */
import type { ProjectInputs } from './project-inputs.js';
import { templateData } from './project-inputs.js';
import type { Release } from './release.js';
import { renderProject } from './templates.js';

/** Renders `release` for `inputs` into `destination` (existing, empty); returns the written relative paths. */
export async function renderRelease(release: Release, inputs: ProjectInputs, destination: string): Promise<string[]> {
  const data = templateData(inputs, release);
  const folders = data.kinds.map((k) => ({ kind: k.kind, folder: release.kinds.find((r) => r.kind === k.kind)!.folder }));
  return renderProject(release.templatesDir, folders, data, data.kindData, destination);
}
