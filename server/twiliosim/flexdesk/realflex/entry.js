// The browser bundle of the real Flex UI for the agent desktops of the tests
// (/demo/agent?worker=…&flex=real): @twilio/flex-ui with the peers it needs,
// on the globals Flex and its plugins use. Built by make flexui into
// .cache/flex-ui/ (never committed).
import * as React from "react";
import * as ReactDOM from "react-dom";
import * as Redux from "redux";
import * as ReactRedux from "react-redux";
import Handlebars from "handlebars";
import * as Flex from "@twilio/flex-ui";

window.React = React;
window.ReactDOM = ReactDOM;
window.Redux = Redux;
window.ReactRedux = ReactRedux;
window.Handlebars = Handlebars;
window.Twilio = window.Twilio || {};
window.Twilio.Flex = Flex;
