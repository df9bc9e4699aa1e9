// Accounts of the admin's community: create, give roles, disable or enable, reset a password. Everything set as text.
(() => {
  'use strict';
  const { el, fill, api } = window.Linli;
  const community = document.body.dataset.community;
  const base = `/api/communities/${encodeURIComponent(community)}/accounts`;
  const roles = {
    Staff: '员工', Manager: '经理', SafetyOfficer: '安全员', Mediator: '调解员', Volunteer: '志愿者', Committee: '业委会', Admin: '管理员',
  };
  const problem = r => r.data?.detail ?? r.data?.title ?? `HTTP ${r.status}`;
  const roleBoxes = (name, chosen) => Object.entries(roles).map(([id, zh]) =>
    el('label', { class: 'role' }, el('input', { type: 'checkbox', name, value: id, checked: chosen.includes(id) }), ` ${zh} ${id}`));

  fill(document.getElementById('new-roles'), el('legend', {}, '角色 Roles'), roleBoxes('roles', ['Staff']));

  async function load() {
    const r = await api('GET', base);
    const body = document.querySelector('#accounts tbody');
    if (!r.ok) { fill(body, el('tr', {}, el('td', { colspan: 6 }, problem(r)))); return; }
    fill(body, r.data.map(row));
  }

  function row(a) {
    const status = a.disabled ? '已停用 disabled' : a.mustChangePassword ? '待改密码 must change password' : '正常 active';
    const result = el('span', { role: 'status' });
    const editRoles = el('span', { class: 'roles' }, roleBoxes(`roles-${a.userName}`, a.roles));
    const saveRoles = async () => {
      const chosen = [...editRoles.querySelectorAll('input:checked')].map(i => i.value);
      const r = await api('PATCH', `${base}/${encodeURIComponent(a.userName)}`, { roles: chosen });
      r.ok ? load() : result.textContent = problem(r);
    };
    const toggle = async () => {
      const r = await api('PATCH', `${base}/${encodeURIComponent(a.userName)}`, { disabled: !a.disabled });
      r.ok ? load() : result.textContent = problem(r);
    };
    const reset = async () => {
      const password = prompt(`给 ${a.userName} 设一个临时密码（至少 10 位），对方登录后要改：`);
      if (!password) return;
      const r = await api('POST', `${base}/${encodeURIComponent(a.userName)}/reset-password`, { password });
      r.ok ? load() : result.textContent = problem(r);
    };
    return el('tr', { dataset: { user: a.userName } },
      el('td', {}, a.userName), el('td', {}, a.name, a.title ? ` (${a.title})` : ''), el('td', {}, a.phone),
      el('td', {}, editRoles, el('button', { type: 'button', onclick: saveRoles }, '保存角色')),
      el('td', {}, status),
      el('td', {},
        el('button', { type: 'button', onclick: toggle }, a.disabled ? '启用 enable' : '停用 disable'),
        el('button', { type: 'button', onclick: reset }, '重置密码 reset'), result));
  }

  document.getElementById('new-account').addEventListener('submit', async e => {
    e.preventDefault();
    const form = e.target;
    const data = Object.fromEntries(['userName', 'name', 'title', 'phone', 'password'].map(k => [k, form.elements[k].value.trim()]));
    data.roles = [...form.querySelectorAll('input[name=roles]:checked')].map(i => i.value);
    const r = await api('POST', base, data);
    const result = document.getElementById('new-result');
    if (r.ok) { result.textContent = `已创建 ${r.data.userName}：请把用户名和初始密码交给本人，首次登录时要改密码。`; form.reset(); load(); }
    else result.textContent = problem(r);
  });

  load();
})();
