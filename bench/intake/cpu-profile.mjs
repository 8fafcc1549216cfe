// Preloaded with `--import` (through NODE_OPTIONS, where --cpu-prof is not allowed) when BENCH_PROFILE_DIR
// is set: profiles the whole process and writes a .cpuprofile there at exit. The in-thread inspector
// session answers synchronously, so this works inside the synchronous 'exit' handler.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const session = new Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 1000 });
session.post('Profiler.start');
process.on('exit', () => {
  session.post('Profiler.stop', (err, res) => {
    if (!err) writeFileSync(join(process.env.BENCH_PROFILE_DIR ?? '.', `spoc-${process.pid}.cpuprofile`), JSON.stringify(res.profile));
  });
});
