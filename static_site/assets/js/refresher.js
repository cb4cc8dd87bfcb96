// Reloads the list. At most one load runs at a time: a refresh asked for meanwhile runs once after it.
// Auto-refresh waits `intervalMs` after each load ends, and stops while the tab is hidden.

export function createRefresher(load, { intervalMs, onBusy = () => {} }) {
  let running = null;
  let again = false;
  let auto = false;
  let timer = 0;

  function stopTimer() {
    clearTimeout(timer);
    timer = 0;
  }

  function schedule() {
    stopTimer();
    if (auto && !document.hidden && !running) timer = setTimeout(refresh, intervalMs);
  }

  function refresh() {
    if (running) {
      again = true;
      return running;
    }
    stopTimer();
    onBusy(true);
    running = (async () => {
      try {
        do {
          again = false;
          await load();
        } while (again);
      } finally {
        running = null;
        onBusy(false);
        schedule();
      }
    })();
    return running;
  }

  document.addEventListener("visibilitychange", () => {
    if (document.hidden) stopTimer();
    else if (auto) refresh();
  });

  return {
    refresh,
    setAuto(on) {
      auto = on;
      if (on) refresh();
      else stopTimer();
    },
  };
}
