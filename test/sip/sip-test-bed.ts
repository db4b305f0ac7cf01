import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A real SIP test bed on loopback: Kamailio (docs/kamailio/kamailio.cfg, the example we ship to PBX owners)
 * as the proxy/registrar that reports calls through the signed generic PBX contract, and SIPp processes as
 * the customers' and agents' phones (test/sip/scenarios). Every process is killed on close or on timeout.
 */
const ROOT = join(__dirname, '..', '..');
export const KAMAILIO_CFG = join(ROOT, 'docs', 'kamailio', 'kamailio.cfg');
const KOMMO_PY = join(ROOT, 'docs', 'kamailio', 'kommo_events.py');
const SCENARIOS = join(__dirname, 'scenarios');
/** A whole suite takes seconds; a Kamailio older than this was orphaned by a killed test run. */
const KAMAILIO_MAX_LIFETIME_SECONDS = 300;
/** Debian packages providing what the test bed runs (scripts/lib.sh ensure_sip_tools installs them). */
const REQUIRED = ['kamailio', 'sipp'];

export interface SipResult {
  readonly code: number | null;
  readonly output: string;
}

/** A UDP port nobody on 127.0.0.1 uses right now. */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.on('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** Fails with the fix when Kamailio or SIPp is missing (rather than a cryptic spawn error). */
export function assertSipToolsInstalled(): void {
  const missing = REQUIRED.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  if (missing.length > 0 || !existsSync(KOMMO_PY)) {
    throw new Error(`missing ${missing.join(', ')}: apt-get install -y kamailio kamailio-utils-modules kamailio-python3-modules sip-tester (scripts/test.sh does it)`);
  }
}

export class SipTestBed {
  private readonly children = new Set<ChildProcess>();
  private kamailioLog = '';

  private constructor(readonly sipPort: number) {}

  /** Starts Kamailio with our example configuration; resolves once it answers SIP on its port. */
  static async start(input: { eventsUrl: string; signingSecret: string; noAnswerMs: number; gatewayPort?: number }): Promise<SipTestBed> {
    assertSipToolsInstalled();
    const bed = new SipTestBed(await freeUdpPort());
    const defines = [`LISTEN=udp:127.0.0.1:${bed.sipPort}`, `KOMMO_PY="${KOMMO_PY}"`, `NO_ANSWER_MS=${input.noAnswerMs}`];
    if (input.gatewayPort) defines.push(`GATEWAY_URI="sip:127.0.0.1:${input.gatewayPort}"`);
    // Under coreutils `timeout`: should this test process die without closing the bed, Kamailio still stops.
    const kamailioArgs = ['-f', KAMAILIO_CFG, '-DD', '-E', '-n', '2', ...defines.flatMap((define) => ['-A', define])];
    const kamailio = bed.spawn('timeout', ['-k', '5', String(KAMAILIO_MAX_LIFETIME_SECONDS), 'kamailio', ...kamailioArgs], {
      KOMMO_EVENTS_URL: input.eventsUrl,
      KOMMO_SIGNING_SECRET: input.signingSecret,
    });
    kamailio.stdout?.on('data', (chunk: Buffer) => (bed.kamailioLog += chunk.toString()));
    kamailio.stderr?.on('data', (chunk: Buffer) => (bed.kamailioLog += chunk.toString()));
    try {
      await bed.waitForSip(10_000);
    } catch (error) {
      await bed.close();
      throw new Error(`Kamailio did not start: ${(error as Error).message}\n${bed.kamailioLog.slice(-3000)}`);
    }
    return bed;
  }

  /** Kamailio's own log (stderr), for assertions and for diagnosing a failure. */
  get log(): string {
    return this.kamailioLog;
  }

  /** An agent's phone registers `extension`; calls to it reach SIPp listening on `phonePort`. */
  async register(extension: string, phonePort: number): Promise<void> {
    const result = await this.sipp('register.xml', { port: await freeUdpPort(), keys: { ext: extension, uas_port: String(phonePort) }, toProxy: true });
    if (result.code !== 0) throw new Error(`REGISTER ${extension} failed:\n${result.output}`);
  }

  /**
   * Runs one SIPp scenario for one call. `toProxy`: a UAC (or REGISTER) sending to Kamailio; otherwise a UAS
   * waiting on `port`. `pauseMs` is the scenario's `<pause/>` (SIPp -d). Killed after `timeoutMs`.
   */
  sipp(
    scenario: string,
    input: { port: number; toProxy: boolean; service?: string; keys?: Record<string, string>; pauseMs?: number; timeoutMs?: number },
  ): Promise<SipResult> {
    const args = ['-sf', join(SCENARIOS, scenario), '-i', '127.0.0.1', '-p', String(input.port), '-m', '1', '-nostdin', '-timeout', '20s', '-timeout_error'];
    if (input.toProxy) args.push(`127.0.0.1:${this.sipPort}`);
    if (input.service) args.push('-s', input.service);
    if (input.pauseMs !== undefined) args.push('-d', String(input.pauseMs));
    for (const [key, value] of Object.entries(input.keys ?? {})) args.push('-key', key, value);
    const child = this.spawn('sipp', args);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return new Promise((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), input.timeoutMs ?? 25_000);
      child.on('error', (error) => {
        clearTimeout(timer);
        resolve({ code: null, output: error.message });
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        // SIPp's screen is long: keep the end, where errors and the call summary are.
        resolve({ code, output: output.slice(-4000) });
      });
    });
  }

  /** Kills Kamailio and any SIPp still running (SIGTERM, then SIGKILL after 2 s). */
  async close(): Promise<void> {
    await Promise.all(
      [...this.children].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
  }

  private spawn(command: string, args: string[], env: Record<string, string> = {}): ChildProcess {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.add(child);
    child.on('exit', () => this.children.delete(child));
    child.on('error', (error) => (this.kamailioLog += `\n${command}: ${error.message}`));
    return child;
  }

  /** Sends SIP OPTIONS until Kamailio answers anything (it replies 405 to OPTIONS: alive). */
  private waitForSip(timeoutMs: number): Promise<void> {
    const socket = createSocket('udp4');
    const deadline = Date.now() + timeoutMs;
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (error?: Error) => {
        clearTimeout(timer);
        socket.close();
        if (error) reject(error);
        else resolve();
      };
      socket.on('message', (message) => (message.toString().startsWith('SIP/2.0') ? finish() : undefined));
      socket.on('error', (error) => finish(error));
      socket.bind(0, '127.0.0.1', () => {
        const { port } = socket.address();
        const probe = () => {
          if (Date.now() > deadline) return finish(new Error(`no SIP answer on 127.0.0.1:${this.sipPort} within ${timeoutMs} ms`));
          const branch = `z9hG4bK-probe-${Date.now()}`;
          const options = [
            `OPTIONS sip:127.0.0.1:${this.sipPort} SIP/2.0`,
            `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=${branch}`,
            'Max-Forwards: 70',
            `From: <sip:probe@127.0.0.1:${port}>;tag=probe`,
            `To: <sip:127.0.0.1:${this.sipPort}>`,
            `Call-ID: ${branch}@127.0.0.1`,
            'CSeq: 1 OPTIONS',
            'Content-Length: 0',
            '',
            '',
          ].join('\r\n');
          socket.send(options, this.sipPort, '127.0.0.1');
          timer = setTimeout(probe, 200);
        };
        probe();
      });
    });
  }
}
