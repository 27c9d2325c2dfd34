/** Helpers of the `coding serve` tests: the built CLI serving a workspace, and its links. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { cliPath, runCli, temporaryWorkspace, writeFiles } from '../helpers.js';

export interface ServeProcess {
  child: ChildProcessWithoutNullStreams;
  /** The link of each coder, and of `adjudication`. */
  links: Map<string, string>;
  /** The origin of the server, `http://127.0.0.1:PORT`. */
  origin: string;
  stderr(): string;
  exit: Promise<number | null>;
  /** Send a signal and wait for the process to end; resolves with its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Start `coding serve --port 0 ARGS…` in `workspace`; resolves once it has printed its links. */
export function startServe(workspace: string, args: readonly string[] = []): Promise<ServeProcess> {
  const child = spawn(process.execPath, [cliPath, 'serve', '--port', '0', ...args], {
    cwd: workspace,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`coding serve did not print its links in 30 s:\n${stderr}`));
    }, 30_000);
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`coding serve ended (${code}) before printing its links:\n${stderr}`));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (!/^adjudication: \S+\n/m.test(stdout)) return;
      clearTimeout(timer);
      const links = new Map<string, string>();
      for (const line of stdout.trim().split('\n')) {
        const match = /^(?:coder (\S+)|(adjudication)): (\S+)$/.exec(line);
        if (match) links.set(match[1] ?? match[2]!, match[3]!);
      }
      const origin = new URL([...links.values()][0]!).origin;
      resolve({
        child,
        links,
        origin,
        stderr: () => stderr,
        exit,
        stop(signal = 'SIGTERM') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exit;
        },
      });
    });
  });
}

export const fixtureCodebook = `version: 1
name: fixture
categories:
  - id: trade
    label: Trade
    description: What the unit says about trade.
    codes:
      - id: trade.ntb
        label: Non-tariff barriers
        definition: Rules other than tariffs that hinder trade.
        include: The unit names such a rule.
        exclude: Duties take trade.tariffs.
        examples: [Customs procedures will be simplified.]
      - id: trade.tariffs
        label: Tariffs
        definition: Taxes on imports.
  - id: tone
    label: Tone
    exclusive: true
    codes:
      - id: tone.positive
        label: Positive
        definition: Approving tone.
      - id: tone.negative
        label: Negative
        definition: "Disapproving tone. <img src=x onerror=alert('codebook')>"
`;

/** The red-team document: markup and control characters that must be shown as text. */
export const redTeamDocument =
  '---\nid: redteam\nactor: "<b>Mallory</b>"\ntitle: "\\"><script>alert(\'title\')</script>"\n---\n' +
  'She wrote <script>alert(1)</script> in the chat.\n\n' +
  'Then "><img src=x onerror=alert(2)> appeared.\n\n' +
  'A bell \u0007 and an escape \u001b[31mred\u001b[0m and \u202eevil.\n';

/** A workspace with the codebook, three ordinary documents (12 units), the red-team one (3 units) and a long unit. */
export async function serveStudy(): Promise<string> {
  const workspace = await temporaryWorkspace();
  await writeFiles(workspace, {
    'codebooks/codebook.yaml': fixtureCodebook,
    'docs/call.md':
      '---\nid: call\nactor: Trump\ngenre: social post\ndate: 2026-01-29\nrole: primary\n---\nA great call on trade. Tariffs stay on the table. The rules on car parts must go. We agreed on nothing yet.\n',
    'docs/presser.md':
      '---\nid: presser\nactor: Sheinbaum\ngenre: press conference\ndate: 2026-01-27\nrole: primary\n---\nIt is coming along very well. Customs procedures will be simplified. We reject tariffs. Good morning to all.\n',
    'docs/wire.md':
      '---\nid: wire\nactor: Reuters\ngenre: news article\ndate: 2026-01-30\nrole: secondary\n---\nThe leaders discussed tariffs. Analysts expect technical changes. The call lasted forty minutes. Markets rose.\n',
    'docs/redteam.md': redTeamDocument,
    // One unit of 14 400 characters (no sentence end before the last word).
    'docs/zzlong.md': `---\nid: zzlong\n---\n${'a long unit without end '.repeat(600)}stop.\n`,
  });
  const result = await runCli(['import', 'docs'], { cwd: workspace });
  if (result.code !== 0) throw new Error(`import failed: ${result.stderr}`);
  return workspace;
}
