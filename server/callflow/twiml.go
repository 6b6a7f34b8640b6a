package callflow

import (
	"strconv"

	"github.com/twilio/twilio-go/twiml"
)

// Spoken messages. Twilio reads them with its default voice.
const (
	sayCallEnded   = "This call has already ended."
	sayNotForYou   = "This call is not for this phone."
	sayNoAnswer    = "Nobody answered. Goodbye."
	sayDeclined    = "The call was declined. Goodbye."
	sayCouldNotRun = "Sorry, the call could not be connected. Please try again."
)

// render turns verbs into a TwiML document. twiml.Voice only fails on
// unserialisable elements, which these never are.
func render(verbs ...twiml.Element) string {
	s, err := twiml.Voice(verbs)
	if err != nil {
		panic(err)
	}
	return s
}

// sayAndHangUp is the TwiML that tells a leg why it ends.
func sayAndHangUp(text string) string {
	return render(&twiml.VoiceSay{Message: text}, &twiml.VoiceHangup{})
}

func boolAttr(b bool) string { return strconv.FormatBool(b) }

// EndedTwiML tells a leg that its call is already over.
func EndedTwiML() string { return sayAndHangUp(sayCallEnded) }

// FailedTwiML tells a leg that the call could not be set up.
func FailedTwiML() string { return sayAndHangUp(sayCouldNotRun) }
