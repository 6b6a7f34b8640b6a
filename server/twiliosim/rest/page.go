package rest

import (
	"net/http"
	"net/url"
	"strconv"
)

// paging reads Twilio's PageSize and Page query parameters (defaults 50 and 0).
func paging(r *http.Request) (size, page int) {
	size, page = 50, 0
	if n, err := strconv.Atoi(r.URL.Query().Get("PageSize")); err == nil && n > 0 {
		size = min(n, 1000)
	}
	if n, err := strconv.Atoi(r.URL.Query().Get("Page")); err == nil && n >= 0 {
		page = n
	}
	return size, page
}

// pageURL is the request's URL on the real Twilio host with Page/PageSize set, so
// twilio-go follows next-page links through the same base-URL rewrite as its
// other requests. realHost is e.g. "taskrouter.twilio.com"; path is the path
// below the product prefix.
func pageURL(r *http.Request, realHost, path string, size, page int) string {
	q := url.Values{}
	for k, v := range r.URL.Query() {
		q[k] = v
	}
	q.Set("PageSize", strconv.Itoa(size))
	q.Set("Page", strconv.Itoa(page))
	return "https://" + realHost + path + "?" + q.Encode()
}

// PageV1 writes a v1 list page: {key: [...], meta: {...}}. path is the resource
// path as on the real host (e.g. /v1/Workspaces/WS…/Tasks).
func PageV1[T any](w http.ResponseWriter, r *http.Request, realHost, path, key string, items []T) {
	size, page := paging(r)
	from := min(page*size, len(items))
	to := min(from+size, len(items))
	var next, prev any
	if to < len(items) {
		next = pageURL(r, realHost, path, size, page+1)
	}
	if page > 0 {
		prev = pageURL(r, realHost, path, size, page-1)
	}
	out := items[from:to]
	if out == nil {
		out = []T{}
	}
	WriteJSON(w, http.StatusOK, map[string]any{
		key: out,
		"meta": map[string]any{
			"page":              page,
			"page_size":         size,
			"first_page_url":    pageURL(r, realHost, path, size, 0),
			"previous_page_url": prev,
			"next_page_url":     next,
			"url":               pageURL(r, realHost, path, size, page),
			"key":               key,
		},
	})
}

// Page2010 writes an API 2010 list page: {key: [...], page, page_size, uri,
// next_page_uri, …}. path is the resource path (e.g. /2010-04-01/Accounts/AC…/Conferences.json).
func Page2010[T any](w http.ResponseWriter, r *http.Request, path, key string, items []T) {
	size, page := paging(r)
	from := min(page*size, len(items))
	to := min(from+size, len(items))
	uri := func(p int) string {
		q := url.Values{}
		for k, v := range r.URL.Query() {
			q[k] = v
		}
		q.Set("PageSize", strconv.Itoa(size))
		q.Set("Page", strconv.Itoa(p))
		return path + "?" + q.Encode()
	}
	var next, prev any
	if to < len(items) {
		next = uri(page + 1)
	}
	if page > 0 {
		prev = uri(page - 1)
	}
	out := items[from:to]
	if out == nil {
		out = []T{}
	}
	WriteJSON(w, http.StatusOK, map[string]any{
		key:                 out,
		"page":              page,
		"page_size":         size,
		"start":             from,
		"end":               max(to-1, from),
		"uri":               uri(page),
		"first_page_uri":    uri(0),
		"next_page_uri":     next,
		"previous_page_uri": prev,
	})
}
