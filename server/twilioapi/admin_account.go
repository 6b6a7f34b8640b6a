package twilioapi

import (
	"context"
	"encoding/json"
	"fmt"

	flex "github.com/twilio/twilio-go/rest/flex/v1"

	"github.com/flex-internal-call/internal-call/call"
)

// The admin commands' calls (package admin's interfaces): the account, the
// Flex configuration, workflows and queues, and the Flex Plugins API.

func (c *Client) flex(ctx context.Context) *flex.ApiService {
	return flex.NewApiService(c.handler(ctx))
}

// FetchAccountName fetches the account with the client's credentials; Twilio
// refusing them is the error.
func (c *Client) FetchAccountName(ctx context.Context) (string, error) {
	if err := checkSIDs("fetch account", call.PrefixAccount, c.accountSid); err != nil {
		return "", err
	}
	a, err := c.voice(ctx).FetchAccount(c.accountSid)
	if err != nil {
		return "", classify(err, "fetch account "+c.accountSid)
	}
	return deref(a.FriendlyName), nil
}

// FetchFlexConfiguration returns the Flex configuration as JSON values, keyed
// as Twilio names them.
func (c *Client) FetchFlexConfiguration(ctx context.Context) (map[string]any, error) {
	cfg, err := c.flex(ctx).FetchConfiguration(nil)
	if err != nil {
		return nil, classify(err, "fetch the Flex configuration")
	}
	b, err := json.Marshal(cfg)
	if err != nil {
		return nil, fmt.Errorf("encoding the Flex configuration: %w", err)
	}
	out := map[string]any{}
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("decoding the Flex configuration: %w", err)
	}
	return out, nil
}

// UpdateFlexConfiguration sends patch: each top-level key replaces Twilio's
// whole. patch must carry account_sid, as Twilio requires.
func (c *Client) UpdateFlexConfiguration(ctx context.Context, patch map[string]any) error {
	if _, err := c.flex(ctx).UpdateConfiguration(new(flex.UpdateConfigurationParams).SetBody(patch)); err != nil {
		return classify(err, "update the Flex configuration")
	}
	return nil
}
