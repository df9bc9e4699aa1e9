// Shows the communities this Linli serves, with last month's collection rate.
(async () => {
  const box = document.getElementById("communities");
  try {
    const communities = await (await fetch("/api/communities")).json();
    box.replaceChildren(...await Promise.all(communities.map(async c => {
      const rates = await (await fetch(`/api/communities/${encodeURIComponent(c.id)}/collection-rate`)).json();
      const last = rates.at(-1);
      const p = document.createElement("p");
      p.className = "community";
      p.textContent = `${c.name} (${c.nameEn}) · ${c.city}${c.district} · ${c.buildings} 栋 buildings · ${c.units} 户 units`
        + (last ? ` · ${last.period} 收缴率 collection rate ${(last.rate * 100).toFixed(1)}%` : "");
      return p;
    })));
  } catch (e) {
    box.textContent = "无法加载 · Could not load: " + e;
  }
})();
