package gdlib

import "errors"

// Japanese returns err's message as a Japanese sentence, for learners: for any error of gdlib
// (one of the types in errors.go, also when wrapped, found with errors.As), a full sentence that
// names the bad value and what to do; for any other error, a Japanese lead-in followed by its own
// (maybe English) text; for nil, "". Error stays English, so nothing changes for other users.
// Any error in err's chain with a method Japanese() string counts as gdlib's, so another package
// (gdlib/plot) can have its errors said in Japanese the same way.
//
//	if _, err := gdlib.Train(net, X, D, cfg); err != nil {
//	    fmt.Println("エラー:", gdlib.Japanese(err))
//	}
//
// Why a formatter rather than golang.org/x/text's message catalogs: gdlib has one audience that
// reads Japanese and one language besides, and its errors are typed values made at a few dozen
// checks. Each check writes its English and its Japanese sentence side by side, so that neither
// can be forgotten or drift (a test makes every bad input's error say itself in Japanese). A
// catalog keys the translations by the English format string, in files made by the gotext tool,
// and a caller must pick the language through a message.Printer: a build step, a dependency
// that each notebook kernel must fetch, and translations kept apart from the checks, with no gain
// for two languages.
func Japanese(err error) string {
	if err == nil {
		return ""
	}
	var ja interface{ Japanese() string }
	if errors.As(err, &ja) {
		return ja.Japanese()
	}
	return "gdlib の外で起きたエラーです（原文のまま）: " + err.Error()
}
