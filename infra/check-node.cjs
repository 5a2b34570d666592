// Runs before every npm script, on whatever Node is first on PATH: keep it ES5-compatible so an
// old Node prints this message instead of a syntax error.
var parts = process.versions.node.split('.').map(Number);
var ok = parts[0] > 22 || (parts[0] === 22 && parts[1] >= 20);
if (!ok) {
  process.stderr.write(
    'closeloop needs Node >= 22.20 (Node 24 LTS recommended); this is Node ' +
      process.versions.node +
      '.\nWhere only the npm registry is reachable, run: export PATH="$(bash infra/node24.sh)"\n',
  );
  process.exit(1);
}
