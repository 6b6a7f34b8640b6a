package twilioapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/flex-internal-call/internal-call/call"
)

// flexTokenAnswer is IAM's answer to a token validation.
type flexTokenAnswer struct {
	Valid      bool      `json:"valid"`
	Code       int       `json:"code"`
	Message    string    `json:"message"`
	Expiration time.Time `json:"expiration"`
	Identity   string    `json:"identity"`
	WorkerSid  string    `json:"worker_sid"`
	Roles      []string  `json:"roles"`
}

// ValidateFlexToken asks Twilio IAM whether a Flex token (the token a browser
// sends in call.FlexTokenHeader) is valid, and whose it is. twilio-go has no
// call for this.
func (c *Client) ValidateFlexToken(ctx context.Context, token string) (*call.FlexToken, error) {
	body, err := json.Marshal(map[string]string{"token": token})
	if err != nil {
		return nil, err
	}
	h := c.handler(ctx)
	u, err := h.BuildUrl("https://iam.twilio.com/v1/Accounts/" + c.accountSid + "/Tokens/validate")
	if err != nil {
		return nil, err
	}
	resp, err := h.Client.SendRequest(http.MethodPost, u, nil, map[string]interface{}{"Content-Type": "application/json"}, body...)
	if err != nil {
		return nil, classify(err, "validate Flex token")
	}
	defer resp.Body.Close()
	var a flexTokenAnswer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		return nil, &call.Error{Code: call.Unavailable, Msg: fmt.Sprintf("decoding token validation: %v", err), Err: err}
	}
	return &call.FlexToken{Valid: a.Valid, Message: a.Message, Expiration: a.Expiration,
		Identity: a.Identity, WorkerSid: a.WorkerSid, Roles: a.Roles}, nil
}
