#!/bin/sh
# Writes Alertmanager's configuration (CONFIG_OUT) from the template (CONFIG_TEMPLATE), putting the Watchdog's
# heartbeat URL, read from the Secret (HEARTBEAT_URL_FILE), in place of ${HEARTBEAT_URL}. A URL that is a secret
# cannot sit in the ConfigMap, and webhook `url_file` needs Alertmanager 0.26+: rendered this way the configuration
# holds only fields every Alertmanager since 0.25 reads. POSIX sh and awk only: it runs in the Alertmanager image
# (busybox). Without the key the Watchdog receiver stays without a webhook, and this says so; a value that is not
# one http(s) URL stops the pod with a message, rather than a configuration Alertmanager would reject.
set -eu

placeholder='${HEARTBEAT_URL}'
url=''
if [ -s "$HEARTBEAT_URL_FILE" ]; then
  url=$(cat "$HEARTBEAT_URL_FILE")
  case "$url" in
    *[[:space:]\"\\]*)
      echo "render-config: the heartbeat URL in $HEARTBEAT_URL_FILE (key watchdog-url of the Secret alertmanager-receivers) must be one URL without spaces, quotes or backslashes (percent-encode them)" >&2
      exit 1 ;;
    http://?*|https://?*) ;;
    *)
      echo "render-config: the heartbeat URL in $HEARTBEAT_URL_FILE (key watchdog-url of the Secret alertmanager-receivers) must start with http:// or https://" >&2
      exit 1 ;;
  esac
else
  echo "render-config: no heartbeat URL (key watchdog-url of the Secret alertmanager-receivers): the Watchdog alert reaches no dead man's switch, so nothing tells you when alerting stops (docs/k8s-monitoring.md#watchdog)" >&2
fi

HEARTBEAT_URL="$url" awk -v placeholder="$placeholder" '
  index($0, placeholder) > 0 {
    if (ENVIRON["HEARTBEAT_URL"] == "") {
      print "#" $0 "  # left out: no heartbeat URL in the Secret"
      next
    }
    at = index($0, placeholder)
    $0 = substr($0, 1, at - 1) ENVIRON["HEARTBEAT_URL"] substr($0, at + length(placeholder))
  }
  { print }
' "$CONFIG_TEMPLATE" > "$CONFIG_OUT.tmp"
mv "$CONFIG_OUT.tmp" "$CONFIG_OUT"
echo "render-config: wrote $CONFIG_OUT"
