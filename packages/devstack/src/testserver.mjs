import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { FatalError, step } from './log.mjs';
import { CACHE_DIR } from './paths.mjs';
import { freePort, waitForPort } from './ports.mjs';
import { run, which } from './proc.mjs';

/** Version of io.temporal:temporal-test-server resolved from Maven Central. */
export const TEST_SERVER_VERSION = '1.38.0';

const pom = (version) => `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.hourglass</groupId>
  <artifactId>time-skipping-server</artifactId>
  <version>1</version>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>${version}</version>
    </dependency>
  </dependencies>
</project>
`;

/**
 * Returns the path of a script that `exec`s Temporal's time-skipping test server (Java), resolving its jars
 * with Maven into the cache and recording a class-data-sharing archive so it starts within the SDK's window.
 */
export async function ensureTimeSkippingServer() {
  if (process.env.HOURGLASS_TEST_SERVER_PATH) return process.env.HOURGLASS_TEST_SERVER_PATH;
  const dir = path.join(CACHE_DIR, `temporal-test-server-${TEST_SERVER_VERSION}`);
  const script = path.join(dir, 'test-server.sh');
  if (fs.existsSync(script)) return script;
  const java = which('java');
  const mvn = which('mvn');
  if (!java || !mvn) {
    throw new FatalError('the time-skipping test server needs Java 17+ and Maven (mvn) on PATH');
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'pom.xml'), pom(TEST_SERVER_VERSION));
  await step(
    `Resolving temporal-test-server ${TEST_SERVER_VERSION} from Maven Central (first run only)`,
    () =>
      run(
        mvn,
        ['-q', '-B', 'dependency:copy-dependencies', '-DoutputDirectory=lib', '-DincludeScope=runtime'],
        {
          cwd: dir,
        },
      ),
  );
  const cds = path.join(dir, 'classes.jsa');
  const base = `-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k -cp "${dir}/lib/*" io.temporal.testserver.TestServer`;
  await step('Recording a class-data-sharing archive for the test server', async () => {
    const port = await freePort();
    const child = spawn(
      'sh',
      ['-c', `exec java -XX:ArchiveClassesAtExit="${cds}" ${base} ${port} --enable-time-skipping`],
      {
        stdio: 'ignore',
      },
    );
    const up = await waitForPort(port, '127.0.0.1', 60_000);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    if (!up) throw new FatalError('the time-skipping test server did not start');
  });
  const share = fs.existsSync(cds) ? `-XX:SharedArchiveFile="${cds}" -Xshare:auto` : '';
  const tmp = `${script}.tmp`;
  fs.writeFileSync(
    tmp,
    `#!/bin/sh\n# Temporal time-skipping test server (generated)\nexec java ${share} ${base} "$@"\n`,
    {
      mode: 0o755,
    },
  );
  fs.renameSync(tmp, script);
  return script;
}
