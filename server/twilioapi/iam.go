package twilioapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// FlexToken is what Twilio IAM says about a Flex user token.
type FlexToken struct {
	Valid      bool      `json:"valid"`
	Code       int       `json:"code"`
	Message    string    `json:"message"`
	Expiration time.Time `json:"expiration"`
	Identity   string    `json:"identity"`
	WorkerSid  string    `json:"worker_sid"`
	Roles      []string  `json:"roles"`
}

// ValidateFlexToken asks Twilio IAM whether a Flex token (the X-Flex-JWE a
// browser sends) is valid, and whose it is. twilio-go has no call for this.
func (c *Client) ValidateFlexToken(token string) (*FlexToken, error) {
	body, err := json.Marshal(map[string]string{"token": token})
	if err != nil {
		return nil, err
	}
	u := "https://iam.twilio.com/v1/Accounts/" + c.accountSid + "/Tokens/validate"
	resp, err := c.base.SendRequest(http.MethodPost, u, nil, map[string]interface{}{"Content-Type": "application/json"}, body...)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var t FlexToken
	if err := json.NewDecoder(resp.Body).Decode(&t); err != nil {
		return nil, fmt.Errorf("decoding token validation: %w", err)
	}
	return &t, nil
}
