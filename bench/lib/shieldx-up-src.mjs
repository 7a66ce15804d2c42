// `shieldx up --config FILE --workers N` from src/ through tsx, without a build (src/cli/main.ts
// looks for package.json where dist/ has it). Usage: node bench/lib/shieldx-up-src.mjs CONFIG WORKERS
import { register } from 'tsx/esm/api';

register();
const { up } = await import('../../src/cli/up.ts');
await up({ config: process.argv[2], workers: Number(process.argv[3] ?? 1) });
