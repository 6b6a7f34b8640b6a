package contract

import "github.com/getkin/kin-openapi/openapi3"

// typeUntypedFormArrays gives the items of every form-encoded array parameter
// whose items schema is empty ("items": {}, any value, as Twilio documents
// e.g. CreatePluginConfiguration's Plugins) the type string. A form value is
// a string whatever it holds, so this accepts exactly what the document does;
// without it the validator cannot decode such a parameter and refuses every
// request that sends it.
func typeUntypedFormArrays(doc *openapi3.T) {
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.RequestBody == nil || op.RequestBody.Value == nil {
				continue
			}
			media := op.RequestBody.Value.Content.Get("application/x-www-form-urlencoded")
			if media == nil || media.Schema == nil || media.Schema.Value == nil {
				continue
			}
			for _, prop := range media.Schema.Value.Properties {
				s := prop.Value
				if s == nil || !s.Type.Is(openapi3.TypeArray) || s.Items == nil || s.Items.Value == nil {
					continue
				}
				if items := s.Items.Value; items.Type == nil || len(*items.Type) == 0 {
					items.Type = &openapi3.Types{openapi3.TypeString}
				}
			}
		}
	}
}
