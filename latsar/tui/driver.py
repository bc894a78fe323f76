"""The classroom session's driver: Textual's web driver, and two things a session needs.

- **Its server gone, it ends.** The server holds the other end of the session's standard
  input; when the server stops or dies, the input closes. Textual's web driver then only stops
  reading; this one also asks the app to exit, keeping what its trainee did.
- **It tells the server who it is.** A session at the login counts against a short time limit
  (a socket that never signs in does not hold a place for long); once someone signs in, the
  session says so (``tell_server``: who, "learner:ID" or "instructor") with a meta packet of
  its own, which latsar's server reads, and again when they sign out. The browser cannot write
  these: what it sends reaches the app as keys.
"""

from __future__ import annotations

import asyncio

from textual import messages
from textual.drivers.web_driver import WebDriver

META_TYPE = "latsar"


class SessionDriver(WebDriver):
    _app_loop: asyncio.AbstractEventLoop | None = None

    def start_application_mode(self) -> None:
        self._app_loop = asyncio.get_running_loop()
        super().start_application_mode()

    def run_input_thread(self) -> None:
        super().run_input_thread()
        if not self.exit_event.is_set() and self._app_loop is not None:  # standard input closed: the server is gone
            asyncio.run_coroutine_threadsafe(self._app._post_message(messages.ExitApp()), loop=self._app_loop)

    def tell_server(self, event: str, who: str | None = None) -> None:
        self.write_meta({"type": META_TYPE, "event": event, "who": who})
