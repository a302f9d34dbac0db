'use strict';
// bench/node/bot.js: the rules of bench/rules.yaml written by hand, as a
// Pyrus user would write a bot on Node's http module. No dependencies.
//
//   PYRUS_SECURITY_KEY=... PORT=28082 node bot.js            one process
//   PYRUS_SECURITY_KEY=... PORT=28083 node bot.js --cluster  one worker per core
//
// BOT_CLUSTER=1 does the same as --cluster. It listens on 127.0.0.1 only.

const cluster = require('node:cluster');
const crypto = require('node:crypto');
const http = require('node:http');
const os = require('node:os');

const KEY = process.env.PYRUS_SECURITY_KEY;
const PORT = Number(process.env.PORT || 28082);
const HOST = '127.0.0.1';
const CLUSTER = process.argv.includes('--cluster') || process.env.BOT_CLUSTER === '1';

// verify checks X-Pyrus-Sig: the hex HMAC-SHA1 of the exact body bytes.
function verify(body, sig) {
  if (typeof sig !== 'string' || sig.length !== 40) return false;
  const want = crypto.createHmac('sha1', KEY).update(body).digest();
  const got = Buffer.from(sig, 'hex');
  return got.length === want.length && crypto.timingSafeEqual(got, want);
}

// fieldGetter returns field(key): a form field's value by name or code, null
// when the field is absent or empty.
function fieldGetter(task) {
  const byKey = new Map();
  for (const f of task.fields || []) {
    if (f.code && !byKey.has(f.code)) byKey.set(f.code, f);
    if (f.name && !byKey.has(f.name)) byKey.set(f.name, f);
  }
  return (key) => {
    const f = byKey.get(key);
    return f ? fieldValue(f) : null;
  };
}

function fieldValue(f) {
  const v = f.value;
  if (v === undefined || v === null || v === '') return null;
  switch (f.type) {
    case 'table':
      return v.filter((row) => !row.deleted).map((row) => {
        const cells = {};
        for (const c of row.cells || []) cells[c.name] = fieldValue(c);
        return cells;
      });
    case 'multiple_choice':
      return v.choice_names && v.choice_names.length ? v.choice_names : null;
    default:
      return v;
  }
}

// parseSettings reads the bot's Settings box: a JSON object, else nothing.
function parseSettings(text) {
  try {
    const s = JSON.parse(text);
    if (s && typeof s === 'object' && !Array.isArray(s)) return s;
  } catch {
    // not JSON: no settings
  }
  return {};
}

// show prints a value into a comment: null as nothing.
function show(v) {
  return v === null || v === undefined ? '' : String(v);
}

// catalogName prints a catalog as its chosen rows' first column.
function catalogName(c) {
  const rows = (c.rows || []).filter((r) => r.length > 0).map((r) => r[0]);
  if (rows.length) return rows.join(', ');
  return c.values && c.values.length ? c.values[0] : '';
}

// decide applies the rules of bench/rules.yaml to a webhook, in order, and
// returns the answer, or null for an empty one.
function decide(hook) {
  const task = hook.task;
  if (!task) return null;
  const comments = task.comments || [];
  const comment = comments.length ? comments[comments.length - 1] : {};
  const author = comment.author || null;
  const botId = hook.user_id || 0;
  if (botId && author && author.id === botId) return null; // never answer itself

  const settings = parseSettings(hook.bot_settings || '{}');
  const field = fieldGetter(task);
  const formId = task.form_id || 0;
  const text = comment.text || '';
  const texts = [];
  let approval = null;
  let reassign = null;

  if (hook.event === 'close' || task.is_closed) {
    texts.push(`Request ${task.id} is closed. Final total: ${show(field('total'))}.`);
    return answer(texts, approval, reassign); // stop
  }

  if (formId === 52210 && author && author.email === settings.cfo_email &&
      text.trim().toLowerCase().startsWith('approve')) {
    texts.push(`${show(author.first_name)} approved in a comment ("${text}"), ` +
      `so the bot approves step ${task.current_step || 0}.`);
    approval = approval || 'approved';
  }

  const total = field('total') ?? 0;
  if (formId === 52210 && total > settings.limit) {
    texts.push(`Total ${show(field('Total amount'))} is over the limit of ` +
      `${show(settings.limit)}; sent to the CFO (${show(settings.cfo_email)}).`);
    reassign = reassign || { email: 'cfo@example.com' };
  }

  if (formId === 52210 && total > 0 && total <= 2000 &&
      field('Budget approved') === 'checked') {
    texts.push(`Approved automatically: ${show(field('total'))} is within the 2000 limit ` +
      `for budgeted purchases (cost center ${show(field('cost_center'))}).`);
    approval = approval || 'approved';
  }

  const dear = (field('Items') || []).filter((row) => (row['Unit price'] ?? 0) > 1500);
  if (formId === 52210 && dear.length > 0) {
    texts.push(`Unit price over 1500 for: ${dear.map((row) => show(row.Item)).join(', ')}. ` +
      'Please attach three supplier quotes.');
  }

  const supplier = field('Supplier');
  if (formId === 52210 && (field('Category') || []).includes('Hardware') &&
      supplier && supplier.values[1] !== 'Moscow') {
    texts.push(`Hardware from ${catalogName(supplier)} (${show(supplier.values[1])}): ` +
      'please add transport insurance to the order.');
  }

  const delivery = field('Delivery date');
  if (formId === 52210 && delivery && Date.parse(delivery) >= Date.parse('2025-03-10')) {
    texts.push(`Delivery on ${delivery} falls after the stocktake of 2025-03-10: ` +
      'confirm the warehouse has room.');
  }

  const requester = field('Requester');
  if (formId === 52210 && (author?.email ?? null) === (requester?.email ?? null) &&
      /asap|urgent|speed|any news/i.test(text)) {
    texts.push(`Noted, ${show(author?.first_name)}: request ${task.id} is at step ` +
      `${task.current_step || 0}, and purchasing has it in their inbox.`);
  }

  if (formId === 52210 && (field('cost_center') ?? '').trim() === '') {
    texts.push(`Please fill in "Cost center": finance cannot book request ${task.id} without it.`);
  }

  if (formId === 0 && task.responsible && task.responsible.id === botId) {
    texts.push(`Hello ${show(author?.first_name)}, this bot only handles purchase requests. ` +
      `"${show(task.subject)}" goes to the office manager.`);
    reassign = reassign || { email: 'elena.sokolova@example.com' };
  }

  const sum = field('Сумма') ?? 0;
  if (formId === 52211 && sum >= 100000) {
    const who = field('Поставщик');
    texts.push(`Сумма ${show(field('Сумма'))} ₽ (${who ? catalogName(who) : ''}), ` +
      'нужна виза финансового директора.');
    reassign = reassign || { id: 100210 };
  }

  return answer(texts, approval, reassign);
}

function answer(texts, approval, reassign) {
  const out = {};
  if (texts.length) out.text = texts.join('\n\n');
  if (approval) out.approval_choice = approval;
  if (reassign) out.reassign_to = reassign;
  return Object.keys(out).length ? out : null;
}

// encode writes JSON as Go's encoding/json does, so that the answers can be
// compared byte for byte: <, > and & and the two line separators escaped.
function encode(value) {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029') + '\n';
}

function handle(req, res) {
  if (req.method !== 'POST') {
    res.writeHead(405).end();
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (!verify(body, req.headers['x-pyrus-sig'])) {
      res.writeHead(401).end();
      return;
    }
    let hook;
    try {
      hook = JSON.parse(body);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const out = decide(hook);
    if (!out) {
      res.writeHead(200).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(encode(out));
  });
}

function serve() {
  http.createServer(handle).listen(PORT, HOST);
}

if (!KEY) {
  console.error('set PYRUS_SECURITY_KEY');
  process.exit(1);
}
if (CLUSTER && cluster.isPrimary) {
  const workers = [];
  for (let i = 0; i < os.availableParallelism(); i++) workers.push(cluster.fork());
  const stop = () => {
    for (const w of workers) w.process.kill('SIGTERM');
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else {
  serve();
}
