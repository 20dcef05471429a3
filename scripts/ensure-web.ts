// npm start: build the web UI if it has not been built yet (npm install normally builds it).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync(new URL('../packages/web/dist/index.html', import.meta.url))) {
  execFileSync('npm', ['run', 'build:web'], { stdio: 'inherit' });
}
