// earcheck web workspace: the only script. Polls a running batch's progress.
(function () {
  const box = document.querySelector(".progress[data-batch]");
  if (!box) return;
  const id = box.dataset.batch;
  const set = (sel, v) => { const el = document.querySelector(sel); if (el) el.textContent = v; };
  async function poll() {
    try {
      const r = await fetch(`/batches/${id}`);
      if (r.ok) {
        const b = await r.json();
        set("#done", b.done); set("#total", b.total); set("#alerts", b.alerts);
        set("#status", b.status); set("#error", b.error || "");
        box.querySelector(".fill").style.width = (b.total ? 100 * b.done / b.total : 100) + "%";
        if (b.status !== "running") return;
      }
    } catch (e) { /* server restarting: keep polling */ }
    setTimeout(poll, 400);
  }
  poll();
})();
