// Copy text; the async Clipboard API needs a secure context, so fall back to a selection copy.

export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "offscreen";
    document.body.append(area);
    area.select();
    const copied = document.execCommand("copy");
    area.remove();
    return copied;
  }
}

// Brief "Copied" feedback on the button itself.
export function flashCopied(button, copied) {
  const label = button.textContent;
  button.textContent = copied ? "Copied" : "Copy failed";
  setTimeout(() => {
    if (button.isConnected) button.textContent = label;
  }, 1500);
}
