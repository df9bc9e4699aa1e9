// The staff console: the community's open tickets sorted by when they are due, live through the staff hub
// (/hubs/staff), a ticket's details, conversation and notes beside it, and the actions staff take on it.
// Everything shown is set as text, never as HTML.
(() => {
  'use strict';
  const body = document.body;
  const me = { community: body.dataset.community, person: body.dataset.person, name: body.dataset.name };
  const en = document.documentElement.lang === 'en';

  const words = {
    queue: ['待办工单', 'Open tickets'], emergencies: ['紧急求助', 'Emergencies'], empty: ['没有符合条件的工单。', 'No tickets match.'],
    connected: ['实时连接', 'Live'], reconnecting: ['连接中断，正在重连…', 'Connection lost, reconnecting…'], offline: ['已离线，稍后重试', 'Offline, retrying'],
    allKinds: ['全部类型', 'All kinds'], allStatuses: ['所有未完成', 'All open'], allUrgency: ['全部缓急', 'Any urgency'], allBuildings: ['全部楼栋', 'All buildings'],
    anyone: ['所有人', 'Anyone'], mine: ['我的', 'Mine'], unassigned: ['未指派', 'Unassigned'],
    number: ['单号', 'Number'], kind: ['类型', 'Kind'], where: ['位置', 'Where'], what: ['内容', 'What'], status: ['状态', 'Status'],
    assignee: ['处理人', 'Assignee'], due: ['时限', 'Due'], urgent: ['急', 'Urgent'], normal: ['一般', 'Normal'],
    left: ['剩', ''], overdue: ['超时', 'overdue '], paused: ['等居民回复（暂停）', 'Waiting on resident (paused)'], done: ['已完成', 'Done'],
    claim: ['抢单', 'Claim'], assign: ['指派', 'Assign'], roundRobin: ['轮派', 'Round robin'], transfer: ['转单', 'Transfer'], sendBack: ['退单', 'Send back'],
    start: ['开始处理', 'Start'], ask: ['请居民补充', 'Ask the resident'], resolve: ['已解决', 'Resolved'], close: ['关闭', 'Close'],
    takeover: ['接管对话', 'Take over chat'], handback: ['交还小助手', 'Hand back to bot'],
    reason: ['原因', 'Reason'], to: ['给谁', 'To whom'], ok: ['确定', 'OK'],
    conversation: ['对话', 'Conversation'], history: ['状态记录', 'Status history'], notes: ['内部备注（居民看不到）', 'Internal notes (residents never see them)'],
    addNote: ['加备注', 'Add note'], reply: ['回复居民', 'Reply to resident'], send: ['发送', 'Send'], canned: ['常用回复…', 'Canned replies…'],
    editCanned: ['编辑常用回复', 'Edit canned replies'], save: ['保存', 'Save'], draft: ['AI 草稿', 'Draft'],
    rating: ['居民评分', 'Rating'], reporter: ['报告人', 'Reporter'], anonymous: ['对被投诉方匿名', 'Anonymous to the other party'],
    attachments: ['照片', 'Photos'], ladder: ['1-3-5 响应', '1-3-5 ladder'], acknowledge: ['已接警', 'Acknowledged'],
    onTheWay: ['已出发', 'On the way'], onSite: ['已到场', 'On site'], paged: ['已呼叫', 'Paged'],
    changedMeanwhile: ['工单刚被别人更新，已刷新，请再操作一次。', 'The ticket changed meanwhile; it is refreshed, please try again.'],
    resident: ['居民', 'Resident'], bot: ['小助手', 'Linli'], watching: ['正在实时查看对话', 'Watching live'], newTicket: ['新工单', 'New ticket'],
  };
  const t = key => (words[key] ?? [key, key])[en ? 1 : 0];
  const kinds = { repair_request: ['报修', 'Repair'], complaint: ['投诉', 'Complaint'], hazard_report: ['隐患', 'Hazard'],
    emergency: ['紧急', 'Emergency'], mediation: ['调解', 'Mediation'], human_handoff: ['转人工', 'Talk to staff'] };
  const statuses = { New: ['新单', 'New'], Assigned: ['已指派', 'Assigned'], InProgress: ['处理中', 'In progress'], WaitingOnResident: ['等居民', 'Waiting on resident'],
    Resolved: ['已解决', 'Resolved'], Closed: ['已关闭', 'Closed'], Reopened: ['重新打开', 'Reopened'] };
  const label = (table, key) => (table[key] ?? [key, key])[en ? 1 : 0];
  let categories = {};        // kind → category id → [zh, en], from the dialogs
  const category = v => v.category ? ' · ' + label(categories[v.kind] ?? {}, v.category) : '';
  const closed = s => s === 'Resolved' || s === 'Closed';

  const { el, fill, api } = window.Linli;
  const time = iso => new Date(iso).toLocaleString(en ? 'en-GB' : 'zh-CN', { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const safeUrl = url => /^(https?:)?\//.test(url) ? url : null;


  // ---- state ----
  const tickets = new Map();
  let staff = [];
  let canned = [];
  let selected = decodeURIComponent(location.hash.slice(1)) || null;
  let watching = null;        // { number, conversation }
  let lastSeen = null;        // latest UpdatedAt heard, to catch up after a dropped connection
  let flash = new Set();

  function remember(view) {
    tickets.set(view.number, view);
    if (!lastSeen || view.updatedAt > lastSeen) lastSeen = view.updatedAt;
  }

  // ---- filters ----
  const filters = {
    kind: document.getElementById('f-kind'), status: document.getElementById('f-status'), urgency: document.getElementById('f-urgency'),
    building: document.getElementById('f-building'), assignee: document.getElementById('f-assignee'),
  };
  const option = (value, text) => el('option', { value }, text);
  filters.kind.append(option('', t('allKinds')), ...Object.keys(kinds).map(k => option(k, label(kinds, k))));
  filters.status.append(option('', t('allStatuses')), ...Object.keys(statuses).map(s => option(s, label(statuses, s))));
  filters.urgency.append(option('', t('allUrgency')), option('urgent', t('urgent')), option('normal', t('normal')));
  for (const f of Object.values(filters)) f.addEventListener('change', () => f === filters.status ? load() : render());

  const buildingOf = v => /(\d+)栋/.exec(v.reporter?.unit ?? v.location ?? '')?.[1] ?? null;
  const dueOf = v => (v.status === 'New' || v.status === 'Reopened') && v.respondBy < v.resolveBy ? v.respondBy : v.resolveBy;

  function matches(v) {
    const f = filters;
    if (f.kind.value && v.kind !== f.kind.value) return false;
    if (f.status.value ? v.status !== f.status.value : closed(v.status)) return false;
    if (f.urgency.value && v.urgency !== f.urgency.value) return false;
    if (f.building.value && buildingOf(v) !== f.building.value) return false;
    const a = f.assignee.value;
    if (a === 'mine' && v.assignee?.id !== me.person) return false;
    if (a === 'none' && v.assignee) return false;
    if (a && a !== 'mine' && a !== 'none' && v.assignee?.id !== a) return false;
    return true;
  }

  function refreshBuildingFilter() {
    const current = filters.building.value;
    const buildings = [...new Set([...tickets.values()].map(buildingOf).filter(Boolean))].sort((a, b) => a - b);
    filters.building.replaceChildren(option('', t('allBuildings')), ...buildings.map(b => option(b, `${b}栋`)));
    filters.building.value = buildings.includes(current) ? current : '';
  }

  // ---- the queue ----
  const queueBody = document.querySelector('#queue tbody');
  document.querySelector('#queue thead tr').append(...['number', 'kind', 'where', 'what', 'status', 'assignee', 'due'].map(k => el('th', { scope: 'col' }, t(k))));
  document.getElementById('queue-title').textContent = t('queue');

  function slaText(v, now) {
    if (closed(v.status)) return [t('done'), ''];
    if (v.pausedAt) return [t('paused'), 'paused'];
    const ms = Date.parse(dueOf(v)) - now;
    const abs = Math.abs(ms), h = Math.floor(abs / 3_600_000), m = Math.floor(abs / 60_000) % 60, s = Math.floor(abs / 1000) % 60;
    const span = (h ? `${h}:${String(m).padStart(2, '0')}` : `${m}`) + `:${String(s).padStart(2, '0')}`;
    return ms < 0 || v.breached ? [t('overdue') + span, 'breached'] : [t('left') + span, ms < 30 * 60_000 ? 'soon' : ''];
  }

  function render() {
    refreshBuildingFilter();
    const now = Date.now();
    const rows = [...tickets.values()].filter(v => v.kind !== 'emergency' || closed(v.status) || filters.status.value).filter(matches)
      .sort((a, b) => (a.pausedAt ? 1 : 0) - (b.pausedAt ? 1 : 0) || dueOf(a).localeCompare(dueOf(b)));
    queueBody.replaceChildren(...rows.map(v => {
      const [sla, cls] = slaText(v, now);
      return el('tr', {
        dataset: { number: v.number }, tabindex: '0',
        class: [cls, v.number === selected ? 'selected' : '', flash.has(v.number) ? 'flash' : '', v.urgency === 'urgent' ? 'urgent' : ''].join(' ').trim(),
        onclick: () => select(v.number), onkeydown: e => { if (e.key === 'Enter') select(v.number); },
      },
      el('td', {}, v.number), el('td', {}, label(kinds, v.kind) + category(v)),
      el('td', {}, v.reporter?.unit ?? v.location ?? ''), el('td', { class: 'text' }, v.text ?? ''),
      el('td', {}, label(statuses, v.status)), el('td', {}, v.assignee?.name ?? '—'), el('td', { class: 'sla' }, sla));
    }));
    document.getElementById('queue-empty').hidden = rows.length > 0;
    document.getElementById('queue-empty').textContent = t('empty');
    renderEmergencies();
    flash = new Set();
  }

  // ---- emergencies on top, with the 1-3-5 ladder ----
  function renderEmergencies() {
    const box = document.getElementById('emergencies');
    const active = [...tickets.values()].filter(v => v.kind === 'emergency' && !closed(v.status)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    box.hidden = active.length === 0;
    box.replaceChildren(el('h2', {}, t('emergencies')), ...active.map(v => {
      const l = v.ladder ?? {};
      const step = (key, at, name, by) => el('li', { class: at ? 'done' : '' }, at ? '✓ ' : '', t(key), ' ', at ? time(at) : '—', by ? ` · ${by}` : '',
        !at ? el('button', { type: 'button', dataset: { step: name }, onclick: () => ladder(v.number, name) }, t(key)) : null);
      return el('article', { class: 'emergency', dataset: { number: v.number } },
        el('h3', {}, el('a', { href: '#' + v.number, onclick: e => { e.preventDefault(); select(v.number); } }, v.number), ' ', v.location ?? v.reporter?.unit ?? '', ' · ', time(v.createdAt)),
        el('p', {}, v.text ?? ''),
        el('p', { class: 'hint' }, t('paged'), ': ', (l.pages ?? []).map(p => `${staffName(p.personId)} ${time(p.at)}`).join('，')),
        el('ol', { class: 'ladder' }, step('acknowledge', l.acknowledgedAt, 'acknowledge', l.acknowledgedBy && staffName(l.acknowledgedBy)), step('onTheWay', l.onTheWayAt, 'on_the_way'), step('onSite', l.onSiteAt, 'on_site')));
    }));
  }

  const staffName = id => staff.find(s => s.id === id)?.name ?? id;

  async function ladder(number, step) {
    const r = await api('POST', `/api/tickets/${encodeURIComponent(number)}/ladder`, { step });
    if (r.ok) { remember(r.data); render(); if (selected === number) renderTicket(); } else problem(r);
  }

  // ---- one ticket ----
  const panel = document.getElementById('ticket');
  let message = null;

  function problem(r) {
    message = r.data?.detail ?? r.data?.title ?? `HTTP ${r.status}`;
    renderTicket();
  }

  async function select(number) {
    if (watching && watching.number !== number) {
      connection.invoke('StopWatching', watching.number).catch(() => {});
      watching = null;
    }
    selected = number;
    message = null;
    history.replaceState(null, '', '#' + encodeURIComponent(number));
    if (!tickets.has(number)) {
      const r = await api('GET', `/api/tickets/${encodeURIComponent(number)}`);
      if (!r.ok) { selected = null; return; }
      remember(r.data);
    }
    render();
    renderTicket();
    await watch(number);
  }

  async function watch(number) {
    try {
      const w = await connection.invoke('WatchConversation', number);
      watching = { number, conversation: w.conversation };
      const list = panel.querySelector('.conversation ol');
      if (list && selected === number) list.replaceChildren(...w.lines.map(line));
    } catch { /* not connected: the ticket's own messages still show */ }
  }

  function line(l) {
    const who = l.role === 'user' ? t('resident') : l.role === 'staff' ? (l.name ?? '') : t('bot');
    return el('li', { class: 'line ' + l.role }, el('span', { class: 'who' }, who), el('span', { class: 'at' }, time(l.at)),
      el('p', {}, l.text), l.attachments?.length ? el('p', {}, ...l.attachments.map(safeUrl).filter(Boolean).map(u => el('a', { href: u, target: '_blank', rel: 'noopener' }, el('img', { src: u, alt: '', class: 'thumb' })))) : null,
      l.buttons?.length ? el('p', { class: 'buttons' }, l.buttons.map(b => `[${b}]`).join(' ')) : null);
  }

  function actionButton(key, onclick, enabled = true) {
    return el('button', { type: 'button', dataset: { action: key }, onclick, disabled: !enabled }, t(key));
  }

  function renderTicket() {
    const v = selected && tickets.get(selected);
    panel.hidden = !v;
    if (!v) return;
    const keepReply = panel.querySelector('textarea.reply')?.value ?? '';
    const keepConversation = panel.querySelector('.conversation ol')?.cloneNode(true);
    const n = encodeURIComponent(v.number);
    const open = !closed(v.status);
    const mine = v.assignee?.id === me.person;
    const patch = async (status, note) => {
      const r = await api('PATCH', `/api/tickets/${n}`, { status, note }, { 'If-Match': `"${v.version}"` });
      if (r.status === 412) { message = t('changedMeanwhile'); await refresh(v.number); return; }
      if (r.ok) { message = null; remember(r.data); render(); renderTicket(); } else problem(r);
    };
    const dispatch = async (action, to, reason) => {
      const r = await api('POST', `/api/tickets/${n}/dispatch`, { action, to, reason });
      if (r.ok) { message = null; remember(r.data); render(); renderTicket(); } else problem(r);
    };
    const who = el('select', { class: 'to', 'aria-label': t('to') }, ...staff.filter(s => s.id !== me.person).map(s => option(s.id, `${s.name}${s.title ? ' · ' + s.title : ''}${s.onDuty ? ' ✓' : ''}`)));
    const reason = el('input', { class: 'reason', placeholder: t('reason'), 'aria-label': t('reason'), maxlength: '500' });
    const reply = el('textarea', { class: 'reply', rows: '3', maxlength: '2000', 'aria-label': t('reply') });
    reply.value = keepReply;
    const cannedSelect = el('select', { class: 'canned', 'aria-label': t('canned'), onchange: e => { if (e.target.value) reply.value = e.target.value; e.target.value = ''; } },
      option('', t('canned')), ...canned.map(c => option(c, c.length > 40 ? c.slice(0, 40) + '…' : c)));
    const note = el('textarea', { class: 'note', rows: '2', maxlength: '2000', 'aria-label': t('addNote') });
    const ladderText = v.ladder ? [['acknowledge', v.ladder.acknowledgedAt], ['onTheWay', v.ladder.onTheWayAt], ['onSite', v.ladder.onSiteAt]]
      .map(([k, at]) => `${t(k)} ${at ? time(at) : '—'}`).join(' · ') : null;

    fill(panel,
      el('h2', {}, v.number, ' ', label(kinds, v.kind), category(v), ' ', el('span', { class: 'status' }, label(statuses, v.status))),
      message ? el('p', { class: 'error', role: 'alert' }, message) : null,
      el('dl', {},
        el('dt', {}, t('where')), el('dd', {}, v.reporter?.unit ?? '', v.location && v.location !== v.reporter?.unit ? ` ${v.location}` : ''),
        el('dt', {}, t('what')), el('dd', {}, v.text ?? ''),
        el('dt', {}, t('reporter')), el('dd', {}, [v.reporter?.person?.name, v.reporter?.phone, v.reporter?.channel].filter(Boolean).join(' · '), v.anonymous ? ` (${t('anonymous')})` : ''),
        el('dt', {}, t('assignee')), el('dd', { class: 'assignee' }, v.assignee?.name ?? '—'),
        el('dt', {}, t('due')), el('dd', { class: 'sla' }, slaText(v, Date.now())[0]),
        ladderText ? [el('dt', {}, t('ladder')), el('dd', {}, ladderText)] : null,
        v.rating ? [el('dt', {}, t('rating')), el('dd', { class: 'rating' }, '★'.repeat(v.rating) + '☆'.repeat(5 - v.rating), v.ratingComment ? ` “${v.ratingComment}”` : '')] : null),
      v.attachments.length ? el('div', { class: 'attachments' }, el('h3', {}, t('attachments')),
        ...v.attachments.map(safeUrl).filter(Boolean).map(u => el('a', { href: u, target: '_blank', rel: 'noopener' }, el('img', { src: u, alt: t('attachments'), class: 'thumb' })))) : null,
      el('div', { class: 'actions' },
        actionButton('claim', async () => {
          const r = await api('POST', `/api/tickets/${n}/claim`);
          if (r.ok) { message = null; remember(r.data); render(); renderTicket(); }
          else { if (r.data?.assignee) await refresh(v.number); problem(r); }
        }, open && !v.assignee),
        actionButton('start', () => patch('InProgress'), open && v.status !== 'InProgress'),
        actionButton('resolve', () => patch('Resolved', reply.value.trim() || null), open),
        actionButton('close', () => patch('Closed'), v.status !== 'Closed'),
        actionButton('roundRobin', () => dispatch('round_robin'), open)),
      el('div', { class: 'actions' }, who, reason,
        actionButton('assign', () => dispatch('assign', who.value), open && staff.length > 1),
        actionButton('transfer', () => dispatch('transfer', who.value, reason.value.trim()), open && mine),
        actionButton('sendBack', () => dispatch('send_back', null, reason.value.trim()), open && !!v.assignee)),
      el('section', { class: 'conversation' }, el('h3', {}, t('conversation'), ' ', el('small', {}, watching?.number === v.number ? t('watching') : '')),
        keepConversation && watching?.number === v.number ? keepConversation : el('ol', {}, ...v.messages.map(m => line({ at: m.at, role: m.from === 'resident' ? 'user' : 'staff', name: m.from, text: m.text })))),
      el('section', { class: 'compose' }, el('h3', {}, t('reply')), el('div', {}, cannedSelect,
          el('button', { type: 'button', class: 'link', onclick: editCanned }, t('editCanned')),
          el('button', { type: 'button', dataset: { action: 'draft' }, onclick: async () => {
            const r = await api('POST', `/api/tickets/${n}/draft`);
            if (r.ok) { reply.value = r.data.text; } else problem(r);
          } }, t('draft'))),
        reply,
        el('div', { class: 'actions' },
          actionButton('send', async () => {
            const text = reply.value.trim();
            if (!text) return;
            const r = await api('POST', `/api/tickets/${n}/messages`, { text });
            if (r.ok) { reply.value = ''; message = null; if (!watching) await refresh(v.number); } else problem(r);
          }, open),
          actionButton('ask', () => { const q = reply.value.trim(); if (q) { reply.value = ''; patch('WaitingOnResident', q); } }, open && v.status !== 'WaitingOnResident'),
          actionButton('takeover', async () => { const r = await api('POST', `/api/tickets/${n}/takeover`); if (!r.ok) problem(r); }, open),
          actionButton('handback', async () => { const r = await api('POST', `/api/tickets/${n}/handback`); if (!r.ok) problem(r); }, true))),
      el('section', { class: 'notes' }, el('h3', {}, t('notes')),
        el('ul', {}, ...v.notes.map(x => el('li', {}, el('span', { class: 'who' }, x.by), ' ', el('span', { class: 'at' }, time(x.at)), ' ', x.text))),
        note, actionButton('addNote', async () => {
          const text = note.value.trim();
          if (!text) return;
          const r = await api('POST', `/api/tickets/${n}/notes`, { text });
          if (r.ok) { remember(r.data); renderTicket(); } else problem(r);
        })),
      el('section', { class: 'history' }, el('h3', {}, t('history')),
        el('ol', {}, ...v.history.map(h => el('li', {}, el('span', { class: 'at' }, time(h.at)), ' ', label(statuses, h.status), ' · ', h.by, h.note ? ` · ${h.note}` : '')))),
    );
  }

  async function editCanned() {
    const box = el('textarea', { rows: '8', class: 'canned-edit', 'aria-label': t('editCanned') });
    box.value = canned.join('\n');
    const dialog = el('dialog', { class: 'canned-dialog' }, el('h3', {}, t('editCanned')), box,
      el('div', { class: 'actions' }, el('button', { type: 'button', onclick: async () => {
        const r = await api('PUT', `/api/communities/${encodeURIComponent(me.community)}/canned-replies`, { items: box.value.split('\n') });
        if (r.ok) { canned = r.data; dialog.close(); dialog.remove(); renderTicket(); } else alert(r.data?.detail ?? r.status);
      } }, t('save')), el('button', { type: 'button', onclick: () => { dialog.close(); dialog.remove(); } }, '×')));
    document.body.append(dialog);
    dialog.showModal();
  }

  async function refresh(number) {
    const r = await api('GET', `/api/tickets/${encodeURIComponent(number)}`);
    if (r.ok) { remember(r.data); render(); renderTicket(); }
  }

  async function load() {
    const status = filters.status.value;
    const query = status ? `status=${status}` : 'open=true';
    const r = await api('GET', `/api/communities/${encodeURIComponent(me.community)}/tickets?${query}&take=500`);
    if (!r.ok) return;
    if (!status) for (const [k, v] of tickets) if (!closed(v.status)) tickets.delete(k);
    for (const v of r.data) remember(v);
    render();
    renderTicket();
  }

  // ---- live ----
  const connectionLabel = document.getElementById('connection');
  const setConnection = (state, cls) => { connectionLabel.textContent = t(state); connectionLabel.className = 'connection ' + cls; body.dataset.connection = cls; };

  const connection = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/staff')
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => Math.min(1000 * (ctx.previousRetryCount + 1), 10_000) })
    .build();

  function heard(view, isNew) {
    remember(view);
    if (isNew) flash.add(view.number);
    render();
    if (view.number === selected) renderTicket();
  }
  connection.on('TicketCreated', v => heard(v, true));
  connection.on('TicketChanged', v => heard(v, false));
  connection.on('ConversationActivity', (conversation, l) => {
    if (watching?.conversation !== conversation) return;
    panel.querySelector('.conversation ol')?.append(line(l));
  });

  // A neighbour named this person at the tea table.
  connection.on('Mentioned', m => {
    if (m.personId !== me.person) return;
    const note = el('p', { class: 'notice mention', role: 'status' }, `${m.authorName} ${en ? 'mentioned you in' : '在茶桌议事'}「${m.title}」${en ? '' : '中提到了您'}：${m.snippet} `,
      el('a', { href: `/tea/${m.threadId}#post-${m.postId}`, target: '_blank' }, en ? 'Open' : '查看'));
    document.querySelector('.console-main').prepend(note);
  });
  connection.onreconnecting(() => setConnection('reconnecting', 'reconnecting'));
  connection.onreconnected(async () => {
    setConnection('connected', 'connected');
    await catchUp();
    if (selected) await watch(selected);
  });
  connection.onclose(() => { setConnection('offline', 'offline'); setTimeout(start, 5000); });

  /** What changed while the console was away: every ticket of the community updated since the last one it heard. */
  async function catchUp() {
    if (!lastSeen) return load();
    const missed = await connection.invoke('ChangesSince', lastSeen);
    for (const v of missed) { if (!tickets.has(v.number)) flash.add(v.number); remember(v); }
    render();
    renderTicket();
  }

  async function start() {
    try {
      await connection.start();
      setConnection('connected', 'connected');
      await catchUp();
      if (selected) await watch(selected);
    } catch {
      setConnection('offline', 'offline');
      setTimeout(start, 5000);
    }
  }

  setInterval(() => {
    const now = Date.now();
    for (const row of queueBody.rows) {
      const v = tickets.get(row.dataset.number);
      if (!v) continue;
      const [text, cls] = slaText(v, now);
      row.querySelector('.sla').textContent = text;
      row.classList.toggle('breached', cls === 'breached');
      row.classList.toggle('soon', cls === 'soon');
    }
    const sla = panel.querySelector('dd.sla');
    if (sla && selected && tickets.get(selected)) sla.textContent = slaText(tickets.get(selected), now)[0];
  }, 1000);

  (async () => {
    setConnection('reconnecting', 'connecting');
    const [people, replies, names] = await Promise.all([
      api('GET', `/api/communities/${encodeURIComponent(me.community)}/staff`),
      api('GET', `/api/communities/${encodeURIComponent(me.community)}/canned-replies`),
      api('GET', '/api/tickets/categories'),
    ]);
    categories = names.ok ? names.data : {};
    staff = people.ok ? people.data : [];
    canned = replies.ok ? replies.data : [];
    filters.assignee.append(option('', t('anyone')), option('mine', t('mine')), option('none', t('unassigned')), ...staff.map(s => option(s.id, s.name)));
    await load();
    await start();
    if (selected) await select(selected);
  })();
})();
