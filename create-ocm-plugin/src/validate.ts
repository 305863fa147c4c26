/** Checks for names the user chooses. Each returns `undefined` when fine, else a message that says how to fix it. */
import { SCHEMA_TYPE_PATTERN, builtinNameCollision } from '@ocm-plugin-kit/sdk/host-facts';

/** Plugin ids become executable names in the ocm plugin directory: no dot (it would read as an extension), no `/`. */
export const PLUGIN_NAME_PATTERN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** npm package names, optionally scoped. */
export const PACKAGE_NAME_PATTERN = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

export function checkPluginName(name: string): string | undefined {
  if (name.length === 0) return 'the plugin name is empty; pass --name <name>, e.g. --name greeting';
  if (name.length > 64) return `plugin name "${name}" is longer than 64 characters; choose a shorter --name`;
  if (!PLUGIN_NAME_PATTERN.test(name)) {
    const hint =
      name
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')
        .replace(/^-+|-+$/g, '') || 'my-plugin';
    return (
      `invalid plugin name "${name}": it becomes the executable's file name in the ocm plugin directory, so use ` +
      `lower-case letters, digits and inner hyphens only (no dots: the CLI skips files with an extension). ` +
      `Try --name ${hint}`
    );
  }
  return undefined;
}

export function checkPackageName(name: string): string | undefined {
  if (name.length > 214 || !PACKAGE_NAME_PATTERN.test(name)) {
    return `invalid npm package name "${name}": use lower case, digits, "-", "." or "_", optionally scoped (@acme/ocm-greeting); pass --package-name`;
  }
  return undefined;
}

export function checkDomain(domain: string): string | undefined {
  if (!/^[a-z0-9]+(\.[a-z0-9]+)+$/.test(domain)) {
    return `invalid --domain "${domain}": give a DNS name you own without hyphens, e.g. acme.org (type names are built as <Name>.<domain>/v1)`;
  }
  return undefined;
}

/** Checks a spec type name for a kind: OCM pattern, reverse-domain qualified, versioned, not a CLI built-in. */
export function checkTypeName(type: string, kind: string): string | undefined {
  const example = 'e.g. Greeting.acme.org/v1';
  if (!SCHEMA_TYPE_PATTERN.test(type)) {
    return (
      `invalid type name "${type}" for ${kind}: it must match ${SCHEMA_TYPE_PATTERN.source} ` +
      `(letters, digits and dots, then /v<N>, /v<N>alpha<M> or /v<N>beta<M>; no hyphens), ${example}`
    );
  }
  const [name, version] = type.split('/');
  if (!version) return `type name "${type}" for ${kind} has no version; append one, e.g. ${type}/v1`;
  if (!name?.includes('.')) {
    return `type name "${type}" for ${kind} is not qualified by a domain; use a name like ${name}.acme.org/${version} so it cannot clash with other plugins or future built-ins`;
  }
  const builtin = builtinNameCollision(kind, type);
  if (builtin) {
    return `type name "${type}" for ${kind} collides with the ocm CLI's built-in type ${builtin}: the CLI would never call the plugin. Choose another name, ${example}`;
  }
  return undefined;
}
