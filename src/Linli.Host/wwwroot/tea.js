// The tea table (茶桌议事) pages: the thread list, a live thread, the moderators' review queue.
// Post bodies arrive as HTML already sanitized by the server (Markdig + HtmlSanitizer); everything else is set as text.
(() => {
  'use strict';
  const body = document.body;
  const en = document.documentElement.lang === 'en';
  const me = { person: body.dataset.person, name: body.dataset.name, moderator: body.dataset.moderator === 'true',
    committee: body.dataset.committee === 'true', owner: body.dataset.owner === 'true' };
  const words = {
    posts: ['条发言', 'posts'], pinned: ['置顶', 'Pinned'], locked: ['已锁定', 'Locked'], closed: ['已结束', 'Closed'], proposal: ['有表决', 'Vote'],
    here: ['位邻居在看', 'neighbours here'], follow: ['关注（有新回复时在聊天里告诉我）', 'Follow (tell me in the chat)'], following: ['已关注', 'Following'],
    reply: ['回复', 'Reply'], flag: ['举报', 'Report'], edit: ['修改', 'Edit'], hide: ['隐藏', 'Hide'], unhide: ['恢复', 'Unhide'], mute: ['禁言', 'Mute'],
    reason: ['原因？', 'Reason?'], minutes: ['禁言多少分钟？', 'Mute for how many minutes?'], hiddenBy: ['已隐藏', 'Hidden'],
    lock: ['锁定', 'Lock'], unlock: ['解锁', 'Unlock'], pin: ['置顶', 'Pin'], unpin: ['取消置顶', 'Unpin'], slow: ['慢速模式', 'Slow mode'], off: ['关', 'off'],
    older: ['更早的发言', 'Older posts'], typing: ['正在输入…', 'is typing…'], replyingTo: ['回复', 'Replying to'], cancel: ['取消', 'Cancel'],
    summary: ['说到哪了？', 'What has been said?'], agree: ['同意', 'Agree'], disagree: ['反对', 'Disagree'], abstain: ['弃权', 'Abstain'],
    owners: ['户', 'owners'], area: ['㎡', 'm²'], participating: ['已参与', 'Taking part'], needs: ['需要', 'needs'], deadline: ['截止', 'Closes'],
    youVoted: ['您家的选择', 'Your flat'], voteReason: ['理由（可不填）', 'Reason (optional)'], votes: ['查看每户投票（业委会）', 'Who voted what (committee)'],
    passed: ['通过', 'Passed'], rejected: ['未通过', 'Not passed'], noQuorum: ['参与不足三分之二，未形成决定', 'Fewer than 2/3 took part: no decision'],
    open: ['表决中', 'Voting open'], special: ['重大事项：需参与者四分之三同意', 'Special matter: 3/4 of those taking part'], ordinary: ['一般事项：需参与者过半同意', 'Ordinary matter: more than half of those taking part'],
    conclusion: ['结论', 'Conclusion'], followUp: ['跟进', 'Follow-up'], due: ['期限', 'Due'], tickets: ['工单', 'Tickets'],
    reconnecting: ['连接中断，正在重连…', 'Reconnecting…'], empty: ['还没有议事，发起第一个吧。', 'Nothing yet: start the first one.'],
    flagged: ['已举报，志愿者会看。', 'Reported; a volunteer will look.'], slowMode: ['慢速模式：每人每', 'Slow mode: one post per person every'], seconds: ['秒一条', 's'],
    propose: ['发起表决', 'Put to a vote'], matter: ['事项类别', 'Kind of matter'], proposalText: ['表决内容', 'What owners decide'],
    building: ['栋', ''], queueEmpty: ['没有待处理的发言。', 'Nothing to review.'], open_: ['打开', 'Open'],
  };
  const t = k => (words[k] ?? [k, k])[en ? 1 : 0];
  // Civil Code art. 278's kinds of matter; the last three of the first group need three quarters.
  const matters = { UseFund: ['使用公维金', 'Using the maintenance fund'], HouseRules: ['管理规约、议事规则', 'House rules'],
    ElectCommittee: ['选举、更换业委会', 'Electing the committee'], PropertyCompany: ['选聘、解聘物业', 'Hiring or dismissing the property company'],
    Other: ['其他重大事项', 'Another major matter'], RaiseFund: ['筹集公维金（需四分之三）', 'Raising the fund (3/4)'],
    Rebuild: ['改建、重建（需四分之三）', 'Rebuilding (3/4)'], CommonPartsUse: ['改变共有部分用途或经营（需四分之三）', 'Changing the use of common parts (3/4)'] };
  const lang = en ? '?lang=en' : '';
  const time = iso => new Date(iso).toLocaleString(en ? 'en-GB' : 'zh-CN', { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });

  const { el, fill, api } = window.Linli;
  // The API speaks English; residents read Chinese first. Known refusals are said in their words.
  const refusals = {
    'This thread is locked': '这个议题已锁定，暂时不能发言。', 'This discussion is closed': '讨论已结束，有话可以发起新议题。',
    'Slow mode': '慢速模式：请稍等一会儿再发。', 'Too many posts': '发得太快了，请稍后再发。', 'Only owners vote': '只有本议题涉及的业主可以投票。',
    'Voting has closed': '表决已截止。', 'Not your post': '只能修改自己的发言。', 'Too late to edit': '发言超过 15 分钟，不能再改了，可以补发一条。',
    'Moderators only': '只有志愿者和工作人员可以这样做。', 'A reason is needed': '请写明原因。', 'Votes were cast': '已经有人投票，表决内容不能再改。',
    'A deadline is needed': '请给一个至少一小时以后的截止时间。', 'One image, please': '请选一张 5 MB 以内的图片（JPG、PNG、GIF、WebP）。',
  };
  const problem = r => {
    const title = r.data?.title;
    if (!en && title === 'You are muted') return '您暂时不能发言。' + (r.data.detail?.split(': ').slice(1).join(': ') ?? '');
    if (!en && refusals[title]) return refusals[title];
    return r.data?.detail ?? title ?? `HTTP ${r.status}`;
  };
  function showError(form, text) { const p = form.querySelector('.error'); p.textContent = text ?? ''; p.hidden = !text; }

  // ---- the list ----
  async function listPage() {
    const list = document.getElementById('threads');
    async function load() {
      const r = await api('GET', '/api/tea/threads?take=100');
      if (!r.ok) return;
      list.replaceChildren(...(r.data.length ? r.data.map(th => el('li', { class: 'card thread' + (th.pinned ? ' pinned' : ''), dataset: { id: th.id } },
        el('a', { href: `/tea/${th.id}${lang}` }, th.title),
        el('p', { class: 'hint' }, [th.building ? `${th.building}${t('building')}` : null, `${th.postCount} ${t('posts')}`, time(th.lastPostAt),
          th.pinned ? t('pinned') : null, th.vote ? t('proposal') : null, th.closed ? t('closed') : th.locked ? t('locked') : null].filter(Boolean).join(' · ')))) : [el('li', { class: 'hint' }, t('empty'))]));
    }
    const form = document.getElementById('new-thread');
    form.addEventListener('submit', async e => {
      e.preventDefault();
      const data = new FormData(form);
      const building = data.get('building') ? Number(data.get('building')) : null;
      const r = await api('POST', '/api/tea/threads', { title: data.get('title'), text: data.get('text'), building });
      if (r.ok) location.href = `/tea/${r.data.id}${lang}`; else showError(form, problem(r));
    });
    await load();
    // Live: a new thread or a change to one (a post, a lock, a vote) reloads the list, at most every two seconds.
    const connection = new signalR.HubConnectionBuilder().withUrl('/hubs/tea').withAutomaticReconnect().build();
    let pending = null;
    connection.on('ThreadChanged', () => { pending ??= setTimeout(async () => { pending = null; await load(); }, 2000); });
    connection.onreconnected(async () => { await connection.invoke('WatchList'); await load(); });
    try { await connection.start(); await connection.invoke('WatchList'); body.dataset.connection = 'connected'; } catch { /* the list still works without live updates */ }
  }

  // ---- one thread, live ----
  async function threadPage() {
    const id = Number(body.dataset.thread);
    const postsList = document.getElementById('posts');
    const head = document.getElementById('thread-head');
    const proposalBox = document.getElementById('proposal');
    const olderButton = document.getElementById('older');
    const composer = document.getElementById('composer');
    const typingLine = document.getElementById('typing');
    let thread = null, present = 0, lastSeen = 0, oldest = null, replyTo = null, attachments = [];
    const posts = new Map();

    function renderHead() {
      if (!thread) return;
      const badges = [thread.building ? `${thread.building}${t('building')}` : null, thread.pinned ? t('pinned') : null,
        thread.closed ? t('closed') : thread.locked ? `${t('locked')}${thread.lockReason && thread.lockReason !== 'closed' ? '：' + thread.lockReason : ''}` : null,
        thread.slowModeSeconds ? `${t('slowMode')} ${thread.slowModeSeconds} ${t('seconds')}` : null].filter(Boolean);
      const mod = me.moderator ? el('div', { class: 'actions moderator' },
        el('button', { type: 'button', dataset: { action: thread.locked ? 'unlock' : 'lock' }, onclick: () => moderate(thread.locked ? 'unlock' : 'lock', !thread.locked) }, t(thread.locked ? 'unlock' : 'lock')),
        el('button', { type: 'button', dataset: { action: 'pin' }, onclick: () => moderate(thread.pinned ? 'unpin' : 'pin', false) }, t(thread.pinned ? 'unpin' : 'pin')),
        el('label', {}, t('slow'), ' ', el('select', { dataset: { action: 'slow' }, onchange: async e => {
          const r = await api('PUT', `/api/tea/threads/${id}/slow-mode`, { seconds: Number(e.target.value) });
          if (r.ok) { thread = r.data; renderHead(); } else alert(problem(r));
        } }, ...[0, 10, 30, 60, 300].map(s => { const o = el('option', { value: s }, s ? `${s} s` : t('off')); o.selected = s === thread.slowModeSeconds; return o; })))) : null;
      fill(head,
        el('h2', {}, thread.title),
        el('p', { class: 'hint' }, thread.authorName, ' · ', time(thread.createdAt), ' · ', el('span', { id: 'presence' }, `${present} ${t('here')}`), badges.length ? ' · ' + badges.join(' · ') : ''),
        el('div', { class: 'actions' },
          el('button', { type: 'button', class: 'link', dataset: { action: 'follow' }, onclick: async () => {
            const r = await api(thread.following ? 'DELETE' : 'PUT', `/api/tea/threads/${id}/following`);
            if (r.ok) { thread.following = !thread.following; renderHead(); }
          } }, thread.following ? t('following') : t('follow')),
          el('button', { type: 'button', class: 'link', dataset: { action: 'summary' }, onclick: summary }, t('summary'))),
        thread.conclusion ? el('div', { class: 'conclusion' }, el('h3', {}, t('conclusion')), el('p', {}, thread.conclusion.text),
          el('p', { class: 'hint' }, [thread.conclusion.followUpBy ? `${t('followUp')}: ${thread.conclusion.followUpBy}` : null,
            thread.conclusion.due ? `${t('due')}: ${thread.conclusion.due}` : null,
            thread.conclusion.tickets.length ? `${t('tickets')}: ${thread.conclusion.tickets.join(', ')}` : null].filter(Boolean).join(' · '))) : null,
        !thread.vote && !thread.closed && (thread.authorId === me.person || me.moderator || me.committee) ? proposeForm() : null,
        mod);
      composer.hidden = thread.locked || thread.closed;
      renderProposal();
    }

    function proposeForm() {
      const form = el('form', { class: 'propose' },
        el('label', {}, t('proposalText'), el('textarea', { name: 'text', rows: '2', maxlength: '2000', required: true })),
        el('label', {}, t('matter'), el('select', { name: 'matter' }, ...Object.entries(matters).map(([k, v]) => el('option', { value: k }, v[en ? 1 : 0])))),
        el('label', {}, t('deadline'), el('input', { name: 'deadline', type: 'datetime-local', required: true })),
        el('button', { type: 'submit' }, t('propose')), el('p', { class: 'error', role: 'alert', hidden: true }));
      form.addEventListener('submit', async e => {
        e.preventDefault();
        const data = new FormData(form);
        const r = await api('PUT', `/api/tea/threads/${id}/proposal`, { text: data.get('text'), matter: data.get('matter'), deadline: new Date(data.get('deadline')).toISOString() });
        if (r.ok) { thread = r.data; renderHead(); } else showError(form, problem(r));
      });
      return el('details', {}, el('summary', {}, t('propose')), form);
    }

    async function moderate(action, needsReason) {
      const reason = needsReason ? prompt(t('reason')) : '';
      if (needsReason && !reason) return;
      const r = await api('POST', `/api/tea/threads/${id}/${action}`, { reason });
      if (r.ok) { thread = r.data; renderHead(); } else alert(problem(r));
    }

    function renderProposal() {
      const v = thread.vote;
      proposalBox.hidden = !v;
      if (!v) return;
      const tally = v.tally;
      const pct = (a, b) => b > 0 ? Math.round(100 * a / b) : 0;
      const row = (key, c) => el('tr', { dataset: { stance: key } }, el('th', { scope: 'row' }, t(key)),
        el('td', { class: 'owners' }, `${c.owners} ${t('owners')}`), el('td', { class: 'area' }, `${Number(c.area).toFixed(2)} ${t('area')}`),
        el('td', {}, el('span', { class: 'bar', style: `width:${pct(c.owners, tally.participating.owners)}%` })));
      const outcome = v.open ? t('open') : tally.outcome === 'Passed' ? t('passed') : tally.outcome === 'Rejected' ? t('rejected') : t('noQuorum');
      const stanceButton = s => el('button', { type: 'button', class: v.myStance === s ? 'chosen' : '', dataset: { vote: s }, onclick: () => vote(s) }, t(s.toLowerCase()));
      fill(proposalBox,
        el('h3', {}, thread.proposalText),
        el('p', { class: 'hint' }, v.special ? t('special') : t('ordinary'), ' · ', `${t('deadline')} ${time(v.deadline)}`, ' · ', el('strong', { class: 'outcome' }, outcome)),
        el('table', { class: 'tally' }, el('tbody', {}, row('agree', tally.agree), row('disagree', tally.disagree), row('abstain', tally.abstain))),
        el('p', { class: 'participation' }, `${t('participating')}: ${tally.participating.owners}/${tally.total.owners} ${t('owners')} (${pct(tally.participating.owners, tally.total.owners)}%), `,
          `${Number(tally.participating.area).toFixed(2)}/${Number(tally.total.area).toFixed(2)} ${t('area')} (${pct(tally.participating.area, tally.total.area)}%) · ${t('needs')} ≥ 2/3`),
        v.open && me.owner ? el('div', { class: 'actions vote' }, stanceButton('Agree'), stanceButton('Disagree'), stanceButton('Abstain'),
          el('input', { id: 'vote-reason', placeholder: t('voteReason'), maxlength: '500', 'aria-label': t('voteReason') })) : null,
        v.myStance ? el('p', { class: 'hint' }, `${t('youVoted')}: ${t(v.myStance.toLowerCase())}`) : null,
        me.committee ? el('button', { type: 'button', class: 'link', onclick: showVotes }, t('votes')) : null,
        el('ul', { id: 'votes', class: 'hint' }));
    }

    async function vote(stance) {
      const reason = document.getElementById('vote-reason')?.value || null;
      const r = await api('PUT', `/api/tea/threads/${id}/vote`, { stance, reason });
      if (r.ok) { thread = r.data; renderProposal(); } else alert(problem(r));
    }

    async function showVotes() {
      const r = await api('GET', `/api/tea/threads/${id}/votes`);
      if (r.ok) document.getElementById('votes').replaceChildren(...r.data.map(v => el('li', {}, `${v.unit} ${v.person}: ${t(v.stance.toLowerCase())}${v.reason ? ' — ' + v.reason : ''} (${time(v.at)})`)));
    }

    async function summary() {
      const r = await api('GET', `/api/tea/threads/${id}/summary${en ? '?lang=en' : ''}`);
      const box = document.getElementById('summary');
      if (!r.ok) return;
      box.hidden = false;
      box.replaceChildren(el('h3', {}, t('summary')), ...r.data.text.split('\n').map(line => el('p', {}, line)));
    }

    function postNode(p) {
      const quoted = p.replyTo ? posts.get(p.replyTo) : null;
      const content = el('div', { class: 'content' });
      content.innerHTML = p.html;   // sanitized by the server
      const mine = p.authorId === me.person;
      const editable = mine && !p.hidden && Date.now() - Date.parse(p.createdAt) < 15 * 60_000;
      return el('li', { id: `post-${p.id}`, class: 'card post' + (p.hidden ? ' hidden-post' : ''), dataset: { id: p.id } },
        el('p', { class: 'meta' }, el('strong', {}, p.authorName), ' ', el('span', { class: 'hint' }, time(p.createdAt), p.editedAt ? ' ✎' : '')),
        p.replyTo ? el('blockquote', { class: 'quote' }, el('a', { href: `#post-${p.replyTo}` }, quoted ? `${quoted.authorName}: ${textOf(quoted).slice(0, 60)}` : `#${p.replyTo}`)) : null,
        p.hidden ? el('p', { class: 'hint' }, `${t('hiddenBy')} (${p.hidden.by}): ${p.hidden.reason}`) : content,
        p.attachments.length ? el('p', {}, ...p.attachments.filter(u => u.startsWith('/api/tea/files/')).map(u => el('a', { href: u, target: '_blank', rel: 'noopener' }, el('img', { src: u, alt: '', class: 'thumb' })))) : null,
        el('div', { class: 'actions' },
          ...Object.keys(p.reactions).concat(['👍', '❤️', '🙏'].filter(e => !(e in p.reactions))).map(e =>
            el('button', { type: 'button', class: 'reaction' + (p.mine.includes(e) ? ' chosen' : ''), dataset: { emoji: e }, onclick: () => react(p.id, e) }, `${e} ${p.reactions[e] ?? ''}`.trim())),
          el('button', { type: 'button', class: 'link', dataset: { action: 'reply' }, onclick: () => startReply(p) }, t('reply')),
          !mine ? el('button', { type: 'button', class: 'link', dataset: { action: 'flag' }, onclick: () => flag(p.id) }, t('flag')) : null,
          editable ? el('button', { type: 'button', class: 'link', dataset: { action: 'edit' }, onclick: () => edit(p) }, t('edit')) : null,
          me.moderator ? el('button', { type: 'button', class: 'link', dataset: { action: p.hidden ? 'unhide' : 'hide' }, onclick: () => hide(p.id, !p.hidden) }, t(p.hidden ? 'unhide' : 'hide')) : null,
          me.moderator && !mine ? el('button', { type: 'button', class: 'link', dataset: { action: 'mute' }, onclick: () => mute(p.authorId) }, t('mute')) : null));
    }
    const textOf = p => { const d = document.createElement('div'); d.innerHTML = p.html; return d.textContent ?? ''; };

    function upsert(p) {
      posts.set(p.id, p);
      lastSeen = Math.max(lastSeen, p.id);
      if (oldest === null || p.id < oldest) oldest = p.id;
      const node = postNode(p);
      const existing = document.getElementById(`post-${p.id}`);
      if (existing) { existing.replaceWith(node); return; }
      const after = [...postsList.children].find(li => Number(li.dataset.id) > p.id);
      postsList.insertBefore(node, after ?? null);
    }
    function remove(postId) { posts.delete(postId); document.getElementById(`post-${postId}`)?.remove(); }

    async function react(postId, emoji) {
      const r = await api('POST', `/api/tea/posts/${postId}/reactions`, { emoji });
      if (r.ok) upsert(r.data); else alert(problem(r));
    }
    async function flag(postId) {
      const reason = prompt(t('reason'));
      if (!reason) return;
      const r = await api('POST', `/api/tea/posts/${postId}/flags`, { reason });
      alert(r.ok ? t('flagged') : problem(r));
    }
    async function hide(postId, hide) {
      const reason = prompt(t('reason'));
      if (!reason) return;
      const r = await api('POST', `/api/tea/posts/${postId}/${hide ? 'hide' : 'unhide'}`, { reason });
      if (r.ok) { if (me.moderator) upsert(r.data); } else alert(problem(r));
    }
    async function mute(personId) {
      const minutes = Number(prompt(t('minutes'), '60'));
      const reason = minutes ? prompt(t('reason')) : null;
      if (!reason) return;
      const r = await api('POST', '/api/tea/mutes', { personId, minutes, reason });
      if (!r.ok) alert(problem(r));
    }
    async function edit(p) {
      const text = prompt(t('edit'), textOf(p));
      if (!text) return;
      const r = await api('PATCH', `/api/tea/posts/${p.id}`, { text });
      if (r.ok) upsert(r.data); else alert(problem(r));
    }
    function startReply(p) {
      replyTo = p.id;
      const box = document.getElementById('replying');
      box.hidden = false;
      box.replaceChildren(`${t('replyingTo')} ${p.authorName}: ${textOf(p).slice(0, 40)} `, el('button', { type: 'button', class: 'link', onclick: () => { replyTo = null; box.hidden = true; } }, t('cancel')));
      composer.querySelector('textarea').focus();
    }

    composer.querySelector('input[type=file]').addEventListener('change', async e => {
      const file = e.target.files[0];
      if (!file) return;
      const form = new FormData();
      form.append('file', file);
      const r = await api('POST', '/api/tea/files', form);
      if (r.ok) { attachments.push(r.data.url); document.getElementById('attached').textContent = `📷 × ${attachments.length}`; } else showError(composer, problem(r));
      e.target.value = '';
    });
    composer.addEventListener('submit', async e => {
      e.preventDefault();
      const textarea = composer.querySelector('textarea');
      const r = await api('POST', `/api/tea/threads/${id}/posts`, { text: textarea.value, replyTo, attachments });
      if (!r.ok) { showError(composer, problem(r)); return; }
      showError(composer, null);
      textarea.value = '';
      attachments = [];
      document.getElementById('attached').textContent = '';
      replyTo = null;
      document.getElementById('replying').hidden = true;
      upsert(r.data);
    });
    let lastTyping = 0;
    composer.querySelector('textarea').addEventListener('input', () => {
      if (Date.now() - lastTyping < 3000 || connection.state !== 'Connected') return;
      lastTyping = Date.now();
      connection.invoke('Typing', id).catch(() => {});
    });

    olderButton.textContent = t('older');
    olderButton.addEventListener('click', async () => {
      const r = await api('GET', `/api/tea/threads/${id}?before=${oldest}`);
      if (!r.ok) return;
      r.data.posts.forEach(upsert);
      olderButton.hidden = !r.data.more;
    });

    // Live: join the thread's group; after a dropped connection, join again from the last post shown.
    const connection = new signalR.HubConnectionBuilder().withUrl('/hubs/tea')
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => Math.min(1000 * (ctx.previousRetryCount + 1), 10_000) }).build();
    connection.on('PostAdded', p => { if (p.threadId === id) upsert(p); });
    connection.on('PostChanged', p => { if (p.threadId === id) upsert({ ...p, mine: posts.get(p.id)?.mine ?? [] }); });
    connection.on('PostRemoved', (threadId, postId) => { if (threadId === id && !me.moderator) remove(postId); else if (threadId === id) refreshPost(postId); });
    connection.on('ThreadChanged', th => {
      if (th.id !== id) return;
      const mine = thread?.vote?.myStance ?? null;
      thread = { ...th, following: thread?.following ?? false, vote: th.vote ? { ...th.vote, myStance: mine } : null };
      renderHead();
    });
    connection.on('Presence', (threadId, count) => { if (threadId !== id) return; present = count; const p = document.getElementById('presence'); if (p) p.textContent = `${present} ${t('here')}`; });
    let typingTimer = null;
    connection.on('Typing', (threadId, name) => {
      if (threadId !== id) return;
      typingLine.textContent = `${name} ${t('typing')}`;
      clearTimeout(typingTimer);
      typingTimer = setTimeout(() => { typingLine.textContent = ''; }, 4000);
    });
    connection.onreconnecting(() => { body.dataset.connection = 'reconnecting'; typingLine.textContent = t('reconnecting'); });
    connection.onreconnected(async () => { body.dataset.connection = 'connected'; typingLine.textContent = ''; await join(); });
    connection.onclose(() => { body.dataset.connection = 'offline'; setTimeout(start, 5000); });

    async function refreshPost(postId) {
      const r = await api('GET', `/api/tea/threads/${id}?after=${postId - 1}&take=1`);
      if (r.ok && r.data.posts[0]?.id === postId) upsert(r.data.posts[0]);
    }

    async function join() {
      const result = await connection.invoke('Join', id, lastSeen);
      const wasEmpty = posts.size === 0;
      thread = { ...result.thread, following: thread?.following ?? result.thread.following };
      present = result.present;
      result.missed.forEach(upsert);
      if (wasEmpty) olderButton.hidden = !result.more;
      renderHead();
    }
    async function start() {
      try {
        await connection.start();
        body.dataset.connection = 'connected';
        await join();
      } catch (e) {
        body.dataset.connection = 'offline';
        if (String(e).includes('No thread')) { head.replaceChildren(el('p', { class: 'error' }, String(e.message ?? e).replace(/^.*HubException: /, ''))); return; }
        setTimeout(start, 5000);
      }
    }
    // The first page comes over HTTP (with this reader's own reactions and vote), then the hub keeps it live.
    const first = await api('GET', `/api/tea/threads/${id}`);
    if (!first.ok) { head.replaceChildren(el('p', { class: 'error' }, problem(first))); composer.hidden = true; return; }
    thread = first.data.thread;
    first.data.posts.forEach(upsert);
    olderButton.hidden = !first.data.more;
    renderHead();
    await start();
  }

  // ---- moderators' review queue ----
  async function moderationPage() {
    const list = document.getElementById('queue');
    if (!list) return;
    const r = await api('GET', '/api/tea/review');
    if (!r.ok) return;
    list.replaceChildren(...(r.data.length ? r.data.map(p => {
      const content = el('div', { class: 'content' });
      content.innerHTML = p.html;
      return el('li', { class: 'card post' + (p.hidden ? ' hidden-post' : '') },
        el('p', { class: 'meta' }, el('strong', {}, p.authorName), ' ', el('span', { class: 'hint' }, time(p.createdAt), ` · ${p.flags} ⚑`), ' ',
          el('a', { href: `/tea/${p.threadId}${lang}#post-${p.id}` }, t('open_'))),
        p.hidden ? el('p', { class: 'hint' }, `${t('hiddenBy')} (${p.hidden.by}): ${p.hidden.reason}`) : content,
        el('div', { class: 'actions' }, el('button', { type: 'button', onclick: async () => {
          const reason = prompt(t('reason'));
          if (!reason) return;
          const x = await api('POST', `/api/tea/posts/${p.id}/${p.hidden ? 'unhide' : 'hide'}`, { reason });
          if (x.ok) moderationPage(); else alert(problem(x));
        } }, t(p.hidden ? 'unhide' : 'hide'))));
    }) : [el('li', { class: 'hint' }, t('queueEmpty'))]));
  }

  ({ list: listPage, thread: threadPage, moderation: moderationPage })[body.dataset.page]?.();
})();
