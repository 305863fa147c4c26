/**
 * Test helpers for plugin authors: a real handler context for unit tests and the plugin served in process.
 * @module
 */
export { testContext, type TestContext, type TestContextOptions } from './context.js';
export { startTestServer, type TestServer, type TestServerOptions, type TestResponse } from './server.js';
