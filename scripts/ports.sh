# Sourced: fail fast, with one line, when a port the portal needs is invalid or taken.
kaito_port_free() { # <port>
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
kaito_require_port() { # <port> <env var that picks another>
  if ! [[ "$1" =~ ^[0-9]+$ ]] || [ "$1" -lt 1 ] || [ "$1" -gt 65535 ]; then
    echo "error: $2='$1' is not a port number (1-65535)" >&2
    exit 1
  fi
  if ! kaito_port_free "$1"; then
    echo "error: port $1 is already in use; stop what holds it or pick another port with $2=<port>" >&2
    exit 1
  fi
}
