import { createInterface } from 'node:readline/promises';
import { createBot } from './bot.js';
import { config } from './config.js';

// A terminal conversation: one session, until "bye" or Ctrl-D.
const bot = createBot({ client: { endpoint: config.endpoint, apiKey: config.apiKey } });
const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: 'you> ' });

console.log(`dcrm assistant on ${config.endpoint}. Type "help", or "bye" to leave.`);
rl.prompt();
for await (const line of rl) {
  const text = line.trim();
  if (/^(?:bye|quit|exit)$/i.test(text)) break;
  if (text) {
    const reply = await bot.reply('cli', text);
    console.log(`bot> ${reply.text.replace(/\n/g, '\n     ')}`);
    if (reply.suggestions?.length) console.log(`     (try: ${reply.suggestions.map((s) => `"${s}"`).join(', ')})`);
  }
  rl.prompt();
}
rl.close();
await bot.close();
