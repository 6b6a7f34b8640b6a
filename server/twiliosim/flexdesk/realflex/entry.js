// The browser bundle of the real Flex UI for the agent desktops of the tests
// (/demo/agent?worker=…&flex=real): @twilio/flex-ui with the peers it needs,
// on the globals Flex and its plugins use. Built by make flexui (build.mjs)
// into .cache/flex-ui/ (never committed).
import * as React from "react";
import * as ReactDOM from "react-dom";
import * as Redux from "redux";
import * as ReactRedux from "react-redux";
import Handlebars from "handlebars";
import * as Flex from "@twilio/flex-ui";
import * as taskrouter from "./taskrouter.js";

window.React = React;
window.ReactDOM = ReactDOM;
window.Redux = Redux;
window.ReactRedux = ReactRedux;
window.Handlebars = Handlebars;
window.Twilio = window.Twilio || {};
window.Twilio.Flex = Flex;

// Flex's own modules that start its clients after a login, by their webpack
// module ids in the pinned 2.17.1 bundle (build.mjs makes the table
// reachable); each is checked for what it must export.
const req = globalThis.__twilioFlexRequire;
delete globalThis.__twilioFlexRequire;
function flexModule(id, name) {
  const m = req(id);
  if (!m || !m[name]) throw new Error("flex-ui module " + id + " has no " + name + ": is @twilio/flex-ui still 2.17.1?");
  return m;
}
window.FlexSim = {
  // the stand-in for twilio-taskrouter that Flex's bundle imports
  taskrouter: taskrouter,
  // FlexClientManager: initTaskRouterSDK(token) builds the Worker and, once
  // it is ready, starts WorkerState's WorkerListener on it.
  FlexClientManager: flexModule(50547, "FlexClientManager").FlexClientManager,
  // WorkerState: Actions (init, setCurrentActivityByName, …) and WorkerListener.
  WorkerState: flexModule(91406, "WorkerListener"),
};
