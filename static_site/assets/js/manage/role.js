// A viewer sees everything and can do nothing: once /api/admin/me says so, the root element gets
// data-can-write="false" and the stylesheet hides every control that would change something.

import { getMe } from "../api.js";

export async function applyRole(root = document.documentElement) {
  try {
    const me = await getMe();
    root.dataset.canWrite = String(me.can_write);
    return me;
  } catch {
    return null; // the list shows the sign-in or access problem; the API refuses writes anyway
  }
}
