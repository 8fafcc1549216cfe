#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { checkConfig } from './cli/check-config.js';
import { routeExplain } from './cli/route.js';
import { staffAdd, staffDisable, staffList, withStaff } from './cli/staff.js';
import { STAFF_ROLES } from './desk/staff.js';
import { loadConfig } from './config/load.js';
import { serve, worker } from './server.js';
import { SpocError } from './shared/errors.js';

/**
 * The spoc CLI: one commander program; each command's body lives in src/cli/ and returns text, and only
 * this file prints. `--config <dir>` (or SPOC_CONFIG_DIR) names the configuration directory.
 */
export function buildProgram(): Command {
  const program = new Command('spoc')
    .description('Single point of contact for an IT service desk: intake, routing, dispatch')
    .option('--config <dir>', 'configuration directory', process.env.SPOC_CONFIG_DIR ?? './config')
    .showHelpAfterError();
  const configDir = () => program.opts<{ config: string }>().config;

  program
    .command('serve')
    .description('run everything in one process: channels, API, dispatch (SQLite and in-process queue unless DATABASE_URL / REDIS_URL)')
    .action(async () => {
      const { spoc, url } = await serve({ ...process.env, SPOC_CONFIG_DIR: configDir() });
      if (spoc.generatedAdminKey) {
        console.log(`spoc: first start — an admin API key was made and kept in the data directory:\n\n  ${spoc.generatedAdminKey}\n\nUse it as "Authorization: Bearer <key>". It is printed only this once.`);
      }
      console.log(`spoc: listening on ${url} (portal at ${url}/, API docs at ${url}/docs)`);
    });

  program
    .command('worker')
    .description('run queue jobs only (needs REDIS_URL); start as many as the load needs')
    .action(async () => {
      await worker({ ...process.env, SPOC_CONFIG_DIR: configDir() });
    });

  program
    .command('route')
    .description('route a contact without storing it and explain the decision')
    .requiredOption('--explain <text>', 'the message body')
    .option('--subject <subject>', 'the subject line')
    .option('--channel <channel>', 'email, voice, sms, slack, chat, web, api or alert', 'api')
    .option('--from <who>', 'requester email, E.164 phone or Slack user id (looked up in directory.yaml)')
    .option('--at <iso>', 'time of the contact (default: now)')
    .option('--json', 'print the decision as JSON')
    .action((opts: { explain: string; subject?: string; channel: string; from?: string; at?: string; json?: boolean }) => {
      const { router, config } = loadConfig(configDir());
      console.log(routeExplain({ router, directory: config.directory }, { ...opts, text: opts.explain }));
    });

  program
    .command('check-config')
    .description('validate gateway.yaml, rules.yaml and directory.yaml, then run rules.test.yaml')
    .action(() => {
      const result = checkConfig(configDir(), (dir) => {
        const { router, config } = loadConfig(dir);
        return { router, directory: config.directory };
      });
      console.log(result.output);
      if (!result.ok) process.exitCode = 1;
    });

  const staff = program.command('staff').description('staff accounts: who may sign in to /desk and whom agent keys belong to (the store of DATABASE_URL or SPOC_DATA_DIR)');
  const env = () => ({ ...process.env, SPOC_CONFIG_DIR: configDir() });
  staff
    .command('list')
    .description('every staff account, disabled ones included')
    .action(async () => console.log(await withStaff(env(), staffList)));
  staff
    .command('add <email>')
    .description('add a staff account')
    .requiredOption('--name <name>', 'the name shown on the desk and in the history')
    .addOption(new Option('--role <role>', 'what they may do').choices(STAFF_ROLES).default('agent'))
    .option('--team <team>', 'their team (a gateway.yaml team id)')
    .option('--slack <userId>', 'their Slack member id, so what they claim in Slack is theirs on the desk')
    .addOption(new Option('--language <lang>', 'the desk pages\' language').choices(['zh', 'en']))
    .action(async (email: string, opts: { name: string; role: string; team?: string; slack?: string; language?: string }) => {
      const { config } = loadConfig(configDir());
      console.log(await withStaff(env(), (s) => staffAdd(s, config, { ...opts, email })));
    });
  staff
    .command('disable <email>')
    .description('disable a staff account: they cannot sign in, their sessions end, their agent key stops acting')
    .action(async (email: string) => console.log(await withStaff(env(), (s) => staffDisable(s, email))));

  return program;
}

const entry = process.argv[1];
if (entry && realpathSync(entry) === fileURLToPath(import.meta.url)) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((err: unknown) => {
      // Expected failures (bad config, bad option) print as `code: message`; anything else is a bug and keeps its stack.
      console.error(err instanceof SpocError ? `${err.code}: ${err.message}` : err);
      process.exitCode = 1;
    });
}
