/** Reloads the queue table every 5 s from `/console/api/queues`, so a backlog shows as it forms. */
export function startQueueRefresh(): void {
  const body = document.getElementById('queue-rows');
  if (!body) return;
  const stamp = document.getElementById('queue-updated');
  const refresh = async (): Promise<void> => {
    const response = await fetch('/console/api/queues', { credentials: 'same-origin' }).catch(() => undefined);
    if (!response?.ok) return;
    const html = await response.text();
    body.innerHTML = html; // server-rendered and escaped rows of the same table
    if (stamp) stamp.textContent = new Date().toISOString().slice(11, 19) + ' UTC';
  };
  window.setInterval(() => void refresh(), 5000);
}
