"""Workshop: the join code, link and QR code, the status line, and the facilitator's two links.

The control link carries the facilitator key, so it is never shown in full: the
screen shows it masked, with a button that copies it. The projector link is
read-only (it shows the live picture and nothing else) and is shown in full.
"""

from __future__ import annotations

import json

import streamlit as st

from afweging.model import Lang
from afweging.workshop import Session
from afweging_ui.i18n import t
from afweging_ui.workshop.state import (
    facilitator_url,
    join_url,
    key_cookie,
    projector_url,
    qr_png,
    store,
)

MASK = "•" * 10


def header(session: Session, language: Lang) -> None:
    """Join code, link and QR code for the projector, and the status line."""
    link = join_url(session.code)
    left, right = st.columns([3, 2], vertical_alignment="center")
    with left:
        st.caption(t("ws_go_to", language))
        st.code(link, language=None, wrap_lines=True)
        st.caption(t("ws_join_code", language))
        st.title(" ".join([session.code[:3], session.code[3:]]), anchor=False)
        st.markdown(status_line(session, language))
    with right:
        st.image(
            qr_png(link),
            width=240,
            caption=t("ws_scan", language),
            alt=t("ws_qr_alt", language, link=link),
        )
    if session.is_expired():
        st.warning(t("ws_expired_facilitator", language))


def links(session: Session, key: str, language: Lang) -> None:
    """The control link (masked, copy button) and the read-only projector link."""
    viewer = store().viewer_key(session.code, key)
    with st.expander(t("ws_links", language), icon=":material/key:"):
        st.markdown(f"**{t('ws_control_link', language)}**")
        st.caption(t("ws_keep_secret", language))
        masked = facilitator_url(session.code, "") + MASK
        st.code(masked, language=None, wrap_lines=True)
        copy_button(facilitator_url(session.code, key), t("ws_copy_control", language), language)
        st.markdown(f"**{t('ws_projector_link', language)}**")
        st.caption(t("ws_projector_help", language))
        st.code(projector_url(session.code, viewer), language=None, wrap_lines=True)


def copy_button(text: str, label: str, language: Lang) -> None:
    """A button that copies ``text`` (our own link, never user input) to the clipboard."""
    done = json.dumps(t("ws_copied", language))
    payload = json.dumps(text)
    st.html(
        f"""<button type="button" class="afw-copy" style="padding:.4rem .8rem;border-radius:.4rem;
border:1px solid #1f4e79;background:#fff;color:#1f4e79;font:inherit;cursor:pointer">{label}</button>
<span class="afw-copied" role="status" style="margin-left:.6rem"></span>
<script>
(function () {{
  var buttons = document.querySelectorAll("button.afw-copy");
  var button = buttons[buttons.length - 1];
  var status = button.nextElementSibling;
  button.addEventListener("click", function () {{
    var text = {payload};
    function done() {{ status.textContent = {done}; }}
    if (navigator.clipboard && window.isSecureContext) {{
      navigator.clipboard.writeText(text).then(done);
      return;
    }}
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    document.body.removeChild(area);
    done();
  }});
}})();
</script>""",
        unsafe_allow_javascript=True,
    )


def pin_key(code: str, key: str) -> None:
    """Once per browser session: reload through the control link, so the server keeps the key
    in an HttpOnly cookie (a reload of the page then keeps control) and moves it out of the
    address bar again."""
    flag = f"ws_pinned_{code}"
    if st.session_state.get(flag):
        return
    st.session_state[flag] = True
    try:
        cookies = st.context.cookies
    except Exception:  # no browser (tests)
        return
    if cookies.get(key_cookie(code)) == key:
        return
    target = json.dumps(f"workshop?code={code}&key={key}")
    st.html(f"<script>window.location.replace({target});</script>", unsafe_allow_javascript=True)


def status_line(session: Session, language: Lang) -> str:
    """Round, open or closed, hidden or shown: one line of fixed texts."""
    parts = [
        t("ws_round", language, n=session.current_round),
        t("ws_open" if session.is_open else "ws_closed", language),
        t("ws_revealed" if session.revealed else "ws_hidden", language),
        t(f"ws_method_{session.weight_method}", language),
    ]
    return " · ".join(parts)
