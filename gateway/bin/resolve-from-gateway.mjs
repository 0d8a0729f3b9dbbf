// Module resolution hooks for the agents an operator writes (registered by `entente serve`):
// an agent module lives in the operator's own directory, where `@entente/sdk` and `zod` are
// not installed. When its own resolution fails for one of those packages, resolve it as if
// imported from the gateway's installation, so the agent shares the gateway's copies.
let parentURL;
let packages = new Set();

export async function initialize(data) {
  parentURL = data.parentURL;
  packages = new Set(data.packages);
}

function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (err) {
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !packages.has(packageOf(specifier))) throw err;
    return nextResolve(specifier, { ...context, parentURL });
  }
}
