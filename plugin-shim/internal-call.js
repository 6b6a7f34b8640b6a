/* Flex Internal Call plugin.
 * Flex loads this file as a plugin asset. It registers synchronously, as Flex
 * requires, and will boot the Go WebAssembly bridge from the same server.
 * The bridge itself is not shipped yet: until it is, init fails loudly so an
 * administrator sees that the plugin is installed but not functional. */
(function () {
  "use strict";
  var NAME = "InternalCall";
  function InternalCallPlugin() { this.name = NAME; this.version = "0.1.0"; }
  InternalCallPlugin.prototype.init = function (flex) {
    var message = "Flex Internal Call: the browser bridge is not available in this build.";
    try {
      if (flex && flex.Notifications && flex.Notifications.registerNotification) {
        flex.Notifications.registerNotification({ id: "InternalCallUnavailable", type: "error", content: message });
        flex.Notifications.showNotification("InternalCallUnavailable");
      }
    } catch (e) { /* notifications are best effort; the rejection below is not */ }
    return Promise.reject(new Error(message));
  };
  if (window.Twilio && window.Twilio.Flex && window.Twilio.Flex.Plugins) {
    window.Twilio.Flex.Plugins.init(InternalCallPlugin);
  }
})();
