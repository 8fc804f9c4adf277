// Real godotenv (github.com/joho/godotenv): for each FILE, the variables `godotenv.Load(FILE)`
// sets in a clean process (what the program reads with os.Getenv). Prints JSON
// {"results": {FILE-ID: {"env": {...}, "error": str|null}}}. Built in GOPATH mode against
// Debian's golang-github-joho-godotenv-dev (scripts/conformance.sh); run it with an almost
// empty environment (`env -i PATH=...`).
package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"

	"github.com/joho/godotenv"
)

type result struct {
	Env   map[string]string `json:"env"`
	Error *string           `json:"error"`
}

func main() {
	results := map[string]result{}
	for _, path := range os.Args[1:] {
		before := map[string]bool{}
		for _, entry := range os.Environ() {
			before[strings.SplitN(entry, "=", 2)[0]] = true
		}
		current := result{Env: map[string]string{}}
		if err := godotenv.Load(path); err != nil {
			message := err.Error()
			current.Error = &message
		}
		for _, entry := range os.Environ() {
			pair := strings.SplitN(entry, "=", 2)
			if !before[pair[0]] {
				current.Env[pair[0]] = pair[1]
				os.Unsetenv(pair[0])
			}
		}
		results[strings.TrimSuffix(filepath.Base(path), ".env")] = current
	}
	out, _ := json.Marshal(map[string]interface{}{"results": results})
	os.Stdout.Write(out)
}
