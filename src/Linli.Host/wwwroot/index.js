// Shows the communities this Linli serves, with their collection rate over the last 12 months.
(async () => {
  const box = document.getElementById("communities");
  try {
    const communities = await (await fetch("/api/communities")).json();
    box.replaceChildren(...await Promise.all(communities.map(async c => {
      const rates = await (await fetch(`/api/communities/${encodeURIComponent(c.id)}/collection-rate`)).json();
      const due = rates.reduce((sum, r) => sum + r.due, 0);
      const paid = rates.reduce((sum, r) => sum + r.paid, 0);
      const p = document.createElement("p");
      p.className = "community";
      p.textContent = `${c.name} (${c.nameEn}) · ${c.city}${c.district} · ${c.buildings} 栋 buildings · ${c.units} 户 units`
        + (due > 0 ? ` · 近 12 个月收缴率 12-month collection rate ${(paid / due * 100).toFixed(1)}%` : "");
      return p;
    })));
  } catch (e) {
    box.textContent = "无法加载 · Could not load: " + e;
  }
})();
