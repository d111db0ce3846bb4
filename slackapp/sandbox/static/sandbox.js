// The sandbox page: draws the sandbox's state like Slack would and turns what the person
// does into intents for the sandbox (/sandbox/<intent>), which signs and sends them to
// the app as Slack would. No build step: plain DOM, one long-polled state.
"use strict";

const EMOJI = {
  white_check_mark: "✅", warning: "⚠️", no_entry_sign: "🚫", zzz: "💤", x: "❌",
  heavy_check_mark: "✔️", wave: "👋", tada: "🎉", bell: "🔔", memo: "📝", calendar: "📅",
  hourglass: "⌛", star: "⭐", pray: "🙏", bulb: "💡", mag: "🔍",
};

let state = null;
let view = { kind: "channel", id: "C0SUPPORT" }; // or { kind: "app", tab: "messages" | "home" }
let threadTs = null; // the composer replies in this thread when set
const inputs = {}; // surface key -> block_id -> action_id -> value, as Slack's state.values
const seen = {}; // conversation -> the last ts the person has seen

const $ = (selector) => document.querySelector(selector);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key === "html") node.innerHTML = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

async function send(intent, body = {}) {
  const response = await fetch(`/sandbox/${intent}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return response.json();
}

async function poll() {
  for (;;) {
    try {
      const after = state ? state.version : -1;
      const response = await fetch(`/sandbox/state?after=${after}`);
      const next = await response.json();
      if (!state || next.version !== state.version) {
        state = next;
        render();
      }
    } catch (error) {
      await new Promise((resolve) => setTimeout(resolve, 1000)); // the sandbox restarts
    }
  }
}

// --- mrkdwn -> HTML ---------------------------------------------------------------------

const escapeHtml = (text) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const unescapeSlack = (text) =>
  text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
const emoji = (html) => html.replace(/:([a-z0-9_+-]+):/g, (all, name) => EMOJI[name] || all);

function styles(text) {
  let html = emoji(escapeHtml(unescapeSlack(text)));
  for (const [mark, tag] of [["\\*", "b"], ["_", "i"], ["~", "s"]]) {
    const pattern = new RegExp(`(^|[^\\w${mark}])${mark}(\\S(?:[^${mark}\\n]*?\\S)?)${mark}(?!\\w)`, "g");
    html = html.replace(pattern, `$1<${tag}>$2</${tag}>`);
  }
  return html;
}

function link(inner) {
  const [target, label] = inner.split("|", 2);
  if (target.startsWith("@")) return `<b>@${escapeHtml(userName(target.slice(1)))}</b>`;
  if (target.startsWith("#")) return `<b>#${escapeHtml(label || target.slice(1))}</b>`;
  if (target.startsWith("!")) return `<b>@${escapeHtml(target.slice(1))}</b>`;
  const safe = /^(https?:|mailto:)/.test(target) ? escapeHtml(target) : "#";
  return `<a href="${safe}" target="_blank" rel="noopener">${styles(label || target)}</a>`;
}

function inline(text) {
  let html = "";
  let last = 0;
  for (const match of text.matchAll(/`([^`\n]+)`|<([^<>\n]+)>/g)) {
    html += styles(text.slice(last, match.index));
    html += match[1] !== undefined
      ? `<code>${escapeHtml(unescapeSlack(match[1]))}</code>` : link(match[2]);
    last = match.index + match[0].length;
  }
  return html + styles(text.slice(last));
}

function lines(text) {
  const out = [];
  let quote = [];
  const flush = () => {
    if (quote.length) out.push(`<blockquote>${quote.join("<br>")}</blockquote>`);
    quote = [];
  };
  for (const line of text.split("\n")) {
    const quoted = /^(?:>|&gt;) ?(.*)$/.exec(line);
    if (quoted) quote.push(inline(quoted[1]));
    else { flush(); out.push(inline(line) + "<br>"); }
  }
  flush();
  return out.join("").replace(/(<br>)+$/, "");
}

function mrkdwn(text) {
  return (text || "").split("```").map((part, i) =>
    i % 2 ? `<pre>${escapeHtml(unescapeSlack(part.replace(/^\n|\n$/g, "")))}</pre>` : lines(part)
  ).join("");
}

function textHtml(object) {
  if (!object) return "";
  if (typeof object === "string") return mrkdwn(object);
  return object.type === "mrkdwn" ? mrkdwn(object.text) : emoji(escapeHtml(object.text || ""));
}

const plain = (object) => (object && object.text) || "";

function userName(id) {
  if (!state) return id;
  if (id === state.me.id) return state.me.name;
  if (id === state.app.user_id) return state.app.name;
  return id === "USLACKBOT" ? "Slackbot" : id;
}

// --- Block Kit -> DOM -------------------------------------------------------------------

// ctx: { key, view_id } for a modal or Home, or { key, channel, ts } for a message.
function valuesOf(ctx) { return (inputs[ctx.key] = inputs[ctx.key] || {}); }

function remember(ctx, blockId, element) {
  const values = valuesOf(ctx);
  const block = (values[blockId] = values[blockId] || {});
  if (block[element.action_id]) return block[element.action_id];
  const value = { type: element.type };
  if (element.type === "checkboxes") value.selected_options = element.initial_options || [];
  if (element.type === "static_select" || element.type === "radio_buttons") {
    value.selected_option = element.initial_option || null;
  }
  if (element.type === "datepicker") value.selected_date = element.initial_date || null;
  if (element.type === "plain_text_input") value.value = element.initial_value || null;
  return (block[element.action_id] = value);
}

async function act(ctx, blockId, action) {
  const where = ctx.view_id ? { view_id: ctx.view_id } : { channel: ctx.channel, ts: ctx.ts };
  await send("action", { ...where, block_id: blockId, action, values: valuesOf(ctx) });
}

function confirmFirst(confirm) {
  if (!confirm) return Promise.resolve(true);
  const layer = $("#confirm-layer");
  return new Promise((resolve) => {
    const done = (answer) => { layer.hidden = true; layer.replaceChildren(); resolve(answer); };
    layer.replaceChildren(el("div", { class: "dialog confirm", role: "dialog" },
      el("div", { class: "title" }, plain(confirm.title) || "Are you sure?"),
      el("div", { class: "content", html: textHtml(confirm.text) }),
      el("div", { class: "footer" },
        el("button", { class: "btn", type: "button", onclick: () => done(false) },
          plain(confirm.deny) || "Cancel"),
        el("button", { class: `btn ${confirm.style === "danger" ? "danger" : "primary"}`,
          type: "button", onclick: () => done(true) }, plain(confirm.confirm) || "Yes"))));
    layer.hidden = false;
  });
}

function element(item, ctx, blockId, inInput) {
  const value = remember(ctx, blockId, item);
  const base = { type: item.type, action_id: item.action_id };
  const changed = (extra) => { Object.assign(value, extra); if (!inInput) act(ctx, blockId, { ...base, ...extra }); };
  switch (item.type) {
    case "button":
      return el("button", {
        class: `btn ${item.style || ""}`, type: "button",
        onclick: async () => {
          if (!(await confirmFirst(item.confirm))) return;
          if (item.url) window.open(item.url, "_blank", "noopener");
          act(ctx, blockId, { ...base, text: item.text, value: item.value });
        },
      }, emoji(plain(item.text)));
    case "static_select":
    case "overflow": {
      const options = item.options || (item.option_groups || []).flatMap((g) => g.options);
      const select = el("select", { "aria-label": plain(item.placeholder) || "Choose" },
        el("option", { value: "" }, plain(item.placeholder) || "Select…"),
        options.map((o) => el("option", { value: o.value }, plain(o.text))));
      select.value = (value.selected_option && value.selected_option.value) || "";
      select.addEventListener("change", () => {
        const option = options.find((o) => o.value === select.value) || null;
        changed({ selected_option: option });
      });
      return select;
    }
    case "checkboxes":
    case "radio_buttons": {
      const many = item.type === "checkboxes";
      const chosen = () => (many ? value.selected_options : [value.selected_option]).filter(Boolean);
      return el("div", { class: "checks" }, (item.options || []).map((option) => {
        const box = el("input", { type: many ? "checkbox" : "radio", name: `${blockId}/${item.action_id}` });
        box.checked = chosen().some((o) => o.value === option.value);
        box.addEventListener("change", () => {
          if (!many) return changed({ selected_option: option });
          const kept = value.selected_options.filter((o) => o.value !== option.value);
          changed({ selected_options: box.checked ? [...kept, option] : kept });
        });
        return el("label", {}, box, " ", el("span", { html: textHtml(option.text) }),
          option.description ? el("small", { html: textHtml(option.description) }) : null);
      }));
    }
    case "datepicker": {
      const picker = el("input", { type: "date", "aria-label": plain(item.placeholder) || "Date" });
      picker.value = value.selected_date || "";
      picker.addEventListener("change", () => changed({ selected_date: picker.value || null }));
      return picker;
    }
    case "plain_text_input": {
      const box = el(item.multiline ? "textarea" : "input", { class: "input", type: "text",
        placeholder: plain(item.placeholder) });
      box.value = value.value || "";
      box.addEventListener("input", () => { value.value = box.value; });
      return box;
    }
    case "image":
      return el("span", { class: "context" }, `[image: ${item.alt_text || ""}]`);
    default:
      return el("span", { class: "context" }, `[${item.type}]`);
  }
}

function richText(items) {
  const inlineText = (parts) => (parts || []).map((part) => {
    if (part.type === "link") return link(`${part.url}|${part.text || part.url}`);
    if (part.type === "emoji") return EMOJI[part.name] || `:${part.name}:`;
    if (part.type === "user") return `<b>@${escapeHtml(userName(part.user_id))}</b>`;
    let html = escapeHtml(part.text || "");
    const style = part.style || {};
    if (style.code) html = `<code>${html}</code>`;
    if (style.bold) html = `<b>${html}</b>`;
    if (style.italic) html = `<i>${html}</i>`;
    if (style.strike) html = `<s>${html}</s>`;
    return html;
  }).join("").replace(/\n/g, "<br>");
  return (items || []).map((item) => {
    if (item.type === "rich_text_list") {
      const tag = item.style === "ordered" ? "ol" : "ul";
      return `<${tag}>${item.elements.map((e) => `<li>${inlineText(e.elements)}</li>`).join("")}</${tag}>`;
    }
    if (item.type === "rich_text_quote") return `<blockquote>${inlineText(item.elements)}</blockquote>`;
    if (item.type === "rich_text_preformatted") return `<pre>${inlineText(item.elements)}</pre>`;
    return `<div>${inlineText(item.elements)}</div>`;
  }).join("");
}

function block(b, ctx, errors) {
  const id = b.block_id;
  switch (b.type) {
    case "section": {
      const fields = (b.fields || []).map((f) => el("div", { html: textHtml(f) }));
      return el("div", { class: "block section", "data-block": id },
        el("div", { class: "text", html: textHtml(b.text) }, fields),
        b.accessory ? element(b.accessory, ctx, id, false) : null);
    }
    case "header":
      return el("div", { class: "block header" }, emoji(plain(b.text)));
    case "divider":
      return el("hr");
    case "context":
      return el("div", { class: "block context" }, (b.elements || []).map((e) =>
        e.type === "image" ? el("span", {}, `[${e.alt_text}] `) : el("span", { html: textHtml(e) })));
    case "actions":
      return el("div", { class: "block actions", "data-block": id },
        (b.elements || []).map((e) => element(e, ctx, id, false)));
    case "input":
      return el("div", { class: "block input-block", "data-block": id },
        el("label", { class: "title" }, plain(b.label), b.optional ? el("span", { class: "context" }, " (optional)") : null),
        element(b.element, ctx, id, !b.dispatch_action),
        b.hint ? el("div", { class: "context" }, plain(b.hint)) : null,
        errors && errors[id] ? el("div", { class: "error" }, errors[id]) : null);
    case "rich_text":
      return el("div", { class: "block rich", html: richText(b.elements) });
    case "image":
      return el("div", { class: "block context" }, `[image: ${b.alt_text || ""}]`);
    default:
      return el("div", { class: "block context" }, `[unsupported block: ${b.type}]`);
  }
}

const blocks = (list, ctx, errors) => (list || []).map((b) => block(b, ctx, errors));

// --- the page ---------------------------------------------------------------------------

function conversation() {
  if (view.kind === "channel") return view.id;
  return view.tab === "messages" ? state.dm : null;
}

function timeOf(ts) {
  return new Date(parseFloat(ts) * 1000).toLocaleTimeString("en-US",
    { timeZone: state.zone, hour: "numeric", minute: "2-digit" });
}

function unread(channel) {
  const mine = state.me.id;
  return (state.conversations[channel] || [])
    .filter((m) => m.user !== mine && parseFloat(m.ts) > parseFloat(seen[channel] || "0")).length;
}

function renderSidebar() {
  const item = (label, active, onclick, count) =>
    el("div", { class: `item${active ? " active" : ""}`, role: "button", onclick },
      label, count ? el("span", { class: "badge" }, String(count)) : null);
  const open = (next) => () => { view = next; threadTs = null; render(); if (next.tab === "home") send("home", { tab: "home" }); };
  $("#sidebar").replaceChildren(
    el("h2", {}, "Channels"),
    ...state.channels.map((c) => item(`# ${c.name}`, view.kind === "channel" && view.id === c.id,
      open({ kind: "channel", id: c.id }), 0)),
    el("h2", {}, "Apps"),
    item(state.app.name, view.kind === "app" && view.tab === "messages",
      open({ kind: "app", tab: "messages" }), view.kind === "app" && view.tab === "messages" ? 0 : unread(state.dm)),
    item(`${state.app.name} · Home`, view.kind === "app" && view.tab === "home",
      open({ kind: "app", tab: "home" }), 0));
}

function renderHeader() {
  const header = $("#pane-header");
  if (view.kind === "channel") {
    header.replaceChildren(`# ${state.channels.find((c) => c.id === view.id).name}`);
    return;
  }
  const tab = (name, label) => el("span", {
    class: `tab${view.tab === name ? " active" : ""}`, role: "tab",
    onclick: () => { view = { kind: "app", tab: name }; render(); if (name === "home") send("home", { tab: "home" }); },
  }, label);
  header.replaceChildren(state.app.name, el("div", { class: "tabs" }, tab("home", "Home"), tab("messages", "Messages")));
}

function messageMenu(message, holder) {
  const button = el("button", { class: "menu-button", type: "button", title: "More actions", "aria-expanded": "false" }, "⋯");
  button.addEventListener("click", () => {
    const opened = holder.querySelector(".menu");
    if (opened) { opened.remove(); button.setAttribute("aria-expanded", "false"); return; }
    button.setAttribute("aria-expanded", "true");
    const close = () => { menu.remove(); button.setAttribute("aria-expanded", "false"); };
    const menu = el("div", { class: "menu", role: "menu" },
      el("button", { type: "button", role: "menuitem", onclick: () => { close(); send("shortcut", { channel: message.channel, ts: message.ts, callback_id: "review_apology" }); } }, "Review apology"),
      el("button", { type: "button", role: "menuitem", onclick: () => { close(); threadTs = message.thread_ts || message.ts; renderComposer(); $("#composer").focus(); } }, "Reply in thread"));
    holder.append(menu);
  });
  return button;
}

function renderMessage(message, reply) {
  const who = message.user;
  const isApp = who === state.app.user_id;
  const name = userName(who);
  const ctx = { key: `${message.channel}/${message.ts}`, channel: message.channel, ts: message.ts };
  const holder = el("div", { class: `message${message.ephemeral ? " ephemeral" : ""}${reply ? " reply" : ""}`, "data-ts": message.ts });
  holder.append(
    el("div", { class: `avatar${isApp ? " app" : ""}${who === "USLACKBOT" ? " bot" : ""}` }, name[0].toUpperCase()),
    el("div", { class: "body" },
      el("div", { class: "meta" }, el("b", {}, name), isApp ? el("span", { class: "tag" }, "APP") : null, " ",
        el("time", {}, timeOf(message.ts)),
        message.ephemeral ? el("span", { class: "only-you" }, " · Only visible to you") : null),
      message.blocks && message.blocks.length
        ? el("div", { class: "blocks" }, blocks(message.blocks, ctx))
        : el("div", { class: "text", html: mrkdwn(message.text) })));
  if (!message.ephemeral) holder.append(messageMenu(message, holder));
  return holder;
}

function renderMessages(channel) {
  const box = $("#messages");
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  const all = state.conversations[channel] || [];
  const isReply = (m) => m.thread_ts && m.thread_ts !== m.ts;
  const rows = [];
  for (const message of all.filter((m) => !isReply(m))) {
    rows.push(renderMessage(message, false));
    for (const reply of all.filter((m) => isReply(m) && m.thread_ts === message.ts)) {
      rows.push(renderMessage(reply, true));
    }
  }
  if (!rows.length) rows.push(el("div", { class: "message context" }, "No messages yet."));
  box.replaceChildren(...rows);
  if (atBottom || box.dataset.channel !== channel) box.scrollTop = box.scrollHeight;
  box.dataset.channel = channel;
  if (all.length) seen[channel] = all[all.length - 1].ts;
}

function renderHome() {
  const home = state.home;
  $("#home").replaceChildren(home
    ? el("div", {}, blocks(home.blocks, { key: home.id, view_id: home.id }))
    : el("div", { class: "context" }, "Opening Home…"));
}

function renderComposer() {
  const channel = conversation();
  $("#composer-form").hidden = !channel;
  if (!channel) return;
  const name = view.kind === "channel" ? `#${state.channels.find((c) => c.id === view.id).name}` : state.app.name;
  $("#composer").placeholder = threadTs ? "Reply in thread…" : `Message ${name}`;
  const note = $("#thread-note");
  note.hidden = !threadTs;
  note.replaceChildren(threadTs ? el("span", {}, "Replying in thread · ",
    el("a", { href: "#", onclick: (e) => { e.preventDefault(); threadTs = null; renderComposer(); } }, "cancel")) : "");
}

function renderModal() {
  const layer = $("#modal-layer");
  const top = state.modals[state.modals.length - 1];
  layer.hidden = !top;
  if (!top) { layer.replaceChildren(); return; }
  const ctx = { key: top.id, view_id: top.id };
  const close = () => send("close", { view_id: top.id });
  layer.replaceChildren(el("div", { class: "dialog", role: "dialog", "aria-label": plain(top.title) },
    el("div", { class: "title" }, plain(top.title), el("button", { type: "button", title: "Close", onclick: close }, "✕")),
    el("div", { class: "content" }, blocks(top.blocks, ctx, top.errors)),
    el("div", { class: "footer" },
      el("button", { class: "btn", type: "button", onclick: close }, plain(top.close) || "Cancel"),
      top.submit ? el("button", { class: "btn primary", type: "button",
        onclick: () => send("submit", { view_id: top.id, values: valuesOf(ctx) }) }, plain(top.submit)) : null)));
}

function renderClock() {
  const now = new Date(state.now);
  const text = now.toLocaleString("en-US", { timeZone: state.zone, weekday: "short", month: "short",
    day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short" });
  const hours = Math.round(state.ahead_seconds / 3600);
  $("#clock").textContent = `Sandbox time: ${text}${hours ? ` · ${hours} h ahead` : ""}`;
}

function render() {
  if (!state) return;
  renderClock();
  const channel = conversation();
  $("#messages").hidden = !channel;
  $("#home").hidden = !!channel;
  if (channel) renderMessages(channel); else renderHome();
  renderSidebar();
  renderHeader();
  renderComposer();
  renderModal();
}

async function submitComposer() {
  const box = $("#composer");
  const text = box.value.trim();
  const channel = conversation();
  if (!text || !channel) return;
  box.value = "";
  const body = { channel, text, thread_ts: threadTs };
  await send(text.startsWith("/") ? "command" : "message", body);
}

$("#composer").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); submitComposer(); }
});
$("#composer-form").addEventListener("submit", (event) => { event.preventDefault(); submitComposer(); });
$("#example").addEventListener("click", (event) => {
  event.preventDefault();
  $("#composer").value = event.target.textContent.replace(/\s+/g, " ").trim();
  $("#composer").focus();
});
for (const button of document.querySelectorAll(".clock-step")) {
  button.addEventListener("click", () => send("clock", { step: button.dataset.step }));
}
poll();
