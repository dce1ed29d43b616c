#!/bin/sh
# train.sh: `redress train` as the rules' keeper runs it: a model from a
# labelled corpus, the same bytes each time, cross-validated figures, and
# clear FILE:LINE errors for a corpus or a model that is not right.
. "$top_srcdir/tests/tap.sh"

redress="$top_builddir/redress"
fields="$top_srcdir/tests/data/rules/fields"
[ -x "$redress" ] || skip_all "redress is not built"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
REDRESS_RULES="$top_srcdir/rules"
export REDRESS_RULES

# Two folds and a fixed cost keep this to a second; the shipped model is
# made as rules/README says, with ten folds over the shared corpus.
"$redress" train --folds 2 -C 1 "$fields" -o "$tmp/a.txt" >"$tmp/out" \
    2>"$tmp/err"
check_eq "train exits 0" "$?" 0
check "it prints cross-validated kind accuracy" \
    grep -Eq '^  kind +[0-9.]+%' "$tmp/out"
check "and category accuracy" grep -Eq '^  category +[0-9.]+%' "$tmp/out"
check "and the kind confusion matrix" grep -q '^kind confusion' "$tmp/out"
check "and the triage rate" grep -q '^triage [0-9.]*% of human mail' \
    "$tmp/out"
check "the model file names the extractor" \
    grep -qx 'extractor [0-9]*' "$tmp/a.txt"
"$redress" train --folds 2 -C 1 "$fields" -o "$tmp/b.txt" >/dev/null 2>&1
check "the same input makes the same bytes" cmp "$tmp/a.txt" "$tmp/b.txt"

# A .tsv file of the same columns, the messages beside it.
"$redress" train --folds 2 -C 1 "$fields/labels.tsv" -o "$tmp/t.txt" \
    >"$tmp/out" 2>"$tmp/err"
check "a labels file may be named instead of its directory" \
    grep -q '^92 messages from 1 directories' "$tmp/out"

# The model in a rules directory decides, with probabilities.
mkdir "$tmp/rules"
cp "$top_srcdir"/rules/*.rules "$tmp/rules/"
cp "$tmp/a.txt" "$tmp/rules/model.txt"
"$redress" classify --json --rules "$tmp/rules" \
    "$fields/auth-fwd-wife-words.eml" >"$tmp/out" 2>"$tmp/err"
check_eq "classify with the trained model exits 0" "$?" 0
check "the verdict has the probability of each kind" \
    grep -q '"kind_probabilities":{"' "$tmp/out"
check "and says whether it needs triage" grep -Eq '"triage":(true|false)' \
    "$tmp/out"
check "and why the model decided" grep -q '"rule":"model-kind"' "$tmp/out"

# A model made by another feature extractor: refused, with what to do.
sed 's/^extractor .*/extractor 999/' "$tmp/a.txt" >"$tmp/rules/model.txt"
"$redress" classify --json --rules "$tmp/rules" \
    "$fields/auth-fwd-wife-words.eml" >"$tmp/out" 2>"$tmp/err"
check_eq "a model of another extractor version stops classify" "$?" 2
check "naming FILE:LINE and redress train" \
    grep -q "$tmp/rules/model.txt:2: .*run 'redress train'" "$tmp/err"
head -c 5000 "$tmp/a.txt" >"$tmp/rules/model.txt"
"$redress" classify --rules "$tmp/rules" "$fields/auth-fwd-wife-words.eml" \
    >"$tmp/out" 2>"$tmp/err"
check_eq "a truncated model stops classify" "$?" 2
check "naming FILE:LINE" grep -q "$tmp/rules/model.txt:[0-9]*: " "$tmp/err"

# Corpus mistakes.
mkdir "$tmp/nolabels"
cp "$fields/auth-fwd-wife-words.eml" "$tmp/nolabels/001.eml"
"$redress" train "$tmp/nolabels" -o "$tmp/c.txt" >"$tmp/out" 2>"$tmp/err"
check_eq "a directory without labels.tsv stops train" "$?" 2
check "naming the file it wanted" \
    grep -q "$tmp/nolabels/labels.tsv: cannot read" "$tmp/err"
check "and writing no model" test ! -e "$tmp/c.txt"
mkdir "$tmp/bad"
head -3 "$fields/labels.tsv" | sed '3s/\tcomplaint\t/\tcomplaynt\t/' \
    >"$tmp/bad/labels.tsv"
for f in $(cut -f1 "$tmp/bad/labels.tsv" | tail -n +2); do
	cp "$fields/$f" "$tmp/bad/"
done
"$redress" train "$tmp/bad" -o "$tmp/c.txt" >"$tmp/out" 2>"$tmp/err"
check_eq "a label outside the vocabulary stops train" "$?" 2
check "named FILE:LINE" \
    grep -q "$tmp/bad/labels.tsv:3: kind 'complaynt' is not one of" \
    "$tmp/err"
printf 'file\tkind\nmissing.eml\tcomplaint\n' >"$tmp/bad/labels.tsv"
"$redress" train "$tmp/bad" -o "$tmp/c.txt" >"$tmp/out" 2>"$tmp/err"
check "a listed message that is not there is named FILE:LINE" \
    grep -q "$tmp/bad/labels.tsv:2: cannot read .*missing.eml" "$tmp/err"

done_testing
