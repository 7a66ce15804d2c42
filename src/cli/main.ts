#!/usr/bin/env node
// The one `shieldx` command.
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { defaultConfigYaml } from '../config/defaults.js';
import { ConfigError, loadConfigFile } from '../config/load.js';
import { registerPolicyCommands } from './policy.js';

// Subcommands import what they need on demand, so `shieldx stages` doesn't load the database drivers.

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new InvalidArgumentError('must be an integer between 1 and 256');
  return n;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

const program = new Command();
program.name('shieldx').description('ShieldX security gateway').version(version());

program
  .command('up')
  .description('run the gateway (embedded defaults and the demo app when no config file is given)')
  .option('-c, --config <file>', 'configuration file (default: ./shieldx.yaml if present, else embedded defaults)')
  .option('-w, --workers <n>', 'worker processes sharing the listeners', positiveInt, 1)
  .option('--demo', 'also start the bundled demo app')
  .option('--no-demo', 'do not start the bundled demo app')
  .action(async (o: { config?: string; workers: number; demo?: boolean }) => {
    const { up } = await import('./up.js');
    await up({ config: o.config, workers: o.workers, demo: o.demo });
  });

const config = program.command('config').description('configuration tools');
config
  .command('check')
  .argument('<file>', 'shieldx.yaml to validate')
  .description('validate a configuration file (schema, references, stage settings) without starting anything')
  .action(async (file: string) => {
    const loaded = loadConfigFile(file);
    // Compile it as the gateway would, so stage settings (key expressions, CIDRs, regexes) are checked too.
    const { validateConfig } = await import('../gateway/validate.js');
    await validateConfig(loaded);
    const c = loaded.config;
    process.stdout.write(
      `${file}: OK (${c.listeners.length} listener(s), ${c.routes.length} route(s), ${Object.keys(c.upstreams).length} upstream(s); sha256 ${loaded.sha256.slice(0, 12)})\n`,
    );
  });
config
  .command('print-default')
  .description('print the embedded default configuration')
  .action(() => {
    process.stdout.write(defaultConfigYaml('http://127.0.0.1:3000'));
  });

program
  .command('stages')
  .description('list the registered pipeline stages')
  .action(async () => {
    const { listStages } = await import('../pipeline/registry.js');
    for (const s of listStages()) process.stdout.write(`${s.name.padEnd(16)} ${s.description}\n`);
  });

registerPolicyCommands(program);

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof ConfigError) process.stderr.write(`shieldx: ${e.message}\n`);
  else process.stderr.write(`shieldx: ${(e as Error).message ?? String(e)}\n`);
  process.exit(1);
});
