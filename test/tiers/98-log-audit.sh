#!/usr/bin/env bash
# Tier "log-audit" (issue 10): the server log of the whole test run, which
# was logged as a curious administrator would have it logged (the scratch
# server runs with log_statement = 'all', debug_print_plan and auto_explain
# of every statement, nested and verbose: test/scripts/common.sh), holds:
#   1. not the run's root key (its hex, as in its file, nor its bytes);
#   2. no private JWK scalar "d" that no client sent: a "d" may appear only
#      if a statement a client sent holds it (the caller's own text: the
#      README says inline JWKs are logged and shows the file import);
#      plan constants are decoded from their decimal bytes first;
#   3. no "d" at all in an ERROR, WARNING, NOTICE, DETAIL or HINT record
#      (shc's messages never carry a private value; the DETAIL that is
#      debug_print_plan's dump and the CONTEXT that quotes the SQL being
#      run are the statement's own text, under rule 2);
#   4. none of the private scalars and rid secrets the privilege tier
#      imported from files and never put in a statement
#      ($SCRATCH/known-secrets), in any form.
# It runs after every tier that uses the scratch server (the majors and
# cluster tiers run servers of their own).
set -uo pipefail
cd "$SHC_ROOT"
source test/scripts/tier.sh
log="$SCRATCH/server.log"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ "${SHC_LOG_AUDIT:-0}" != 1 ]; then
	echo "# SHC_LOG_AUDIT is not 1: the run was not logged in full"
	echo "tier log-audit: 0 passed, 0 failed, 1 skipped"
	exit 0
fi
psql -X -q -d postgres -c "SELECT pg_sleep(0.5)" >/dev/null	# the logger catches up
size=$(wc -c <"$log")
echo "# the server log of this run: $((size / 1048576)) MB"
check "the run was logged with log_statement = 'all', debug_print_plan and nested auto_explain" \
	bash -c "grep -q 'LOG:  statement: ' '$log' && grep -q 'LOG:  plan:' '$log' &&
	         grep -q 'LOG:  duration: .* plan:' '$log' && grep -q 'Query Text: ' '$log'"

cat >"$work/audit.pl" <<'PERL'
# split the log into records (each starts with the log_line_prefix
# '%m [%p] '), classify them, find every private JWK scalar "d"
use strict;
use warnings;
my ($logfile, $rootfile) = @ARGV;
my $root = '';
if (open(my $rf, '<', $rootfile)) { $root = <$rf> // ''; chomp $root; close $rf }
my $rootbytes = length($root) == 64 ? pack('H*', $root) : undef;
my (%client, %elsewhere, %in_message, $records, $root_hits, @examples);
my $dre = qr/"d"\s*:\s*"([A-Za-z0-9_-]{43})"/;
sub root_in {
	my ($t) = @_;
	return length($root) && (index(lc $t, lc $root) >= 0 ||
		(defined $rootbytes && index($t, $rootbytes) >= 0));
}
sub scan {
	my ($kind, $text) = @_;
	return unless defined $text;
	$records++;
	$root_hits++ if root_in($text);
	my @d = ($text =~ /$dre/g);
	# plan constants print their bytes as decimals, "[ 123 34 100 ... ]":
	# decode each such list (found by index, not by a regex over it)
	# (in place: a list may be hundreds of megabytes)
	my $pos = 0;
	while (($pos = index($text, '[ ', $pos)) >= 0) {
		my $end = index($text, ']', $pos);
		last if $end < 0;
		pos($text) = $pos + 1;
		if ($end - $pos > 16 && $text =~ /\G[\s0-9-]*\]/gc && pos($text) == $end + 1) {
			my $bytes = '';
			pos($text) = $pos + 1;
			$bytes .= chr($1 & 255) while $text =~ /\G\s*(-?\d+)/gc;
			push @d, ($bytes =~ /$dre/g);
			$root_hits++ if root_in($bytes);
		}
		$pos = $end;
	}
	for my $d (@d) {
		if ($kind eq 'client') { $client{$d} = 1 }
		elsif ($kind eq 'message') {
			$in_message{$d} = 1;
			if (@examples < 3) {
				(my $first = $text) =~ s/\n.*//s;
				$first =~ s/\Q$d\E/<d>/g;
				push @examples, substr($first, 0, 300);
			}
		}
		else { $elsewhere{$d} = 1 }
	}
}
open(my $fh, '<', $logfile) or die "cannot read $logfile";
my ($kind, $buf, %plan_next);
while (my $line = <$fh>) {
	if ($line =~ /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \S+ \[(\d+)\] (\w+):  (.*)$/s) {
		scan($kind, $buf);
		my ($pid, $level, $rest) = ($1, $2, $3);
		if ($level eq 'LOG' && $rest =~ /^(statement|execute [^:]*): /) { $kind = 'client' }
		elsif ($level eq 'STATEMENT') { $kind = 'client' }
		# the plan dump of debug_print_plan is the DETAIL of a "plan:" LOG;
		# a CONTEXT quotes the SQL or PL/pgSQL being run (rule 2 covers it)
		elsif ($level eq 'DETAIL' && $plan_next{$pid}) { $kind = 'other' }
		elsif ($level =~ /^(ERROR|WARNING|NOTICE|DETAIL|HINT|FATAL|PANIC|INFO)$/) { $kind = 'message' }
		else { $kind = 'other' }
		$plan_next{$pid} = ($level eq 'LOG' && $rest =~ /^plan:/) ? 1 : 0 unless $level eq 'CONTEXT';
		$buf = $line;
	} else {
		$buf .= $line;
	}
}
scan($kind, $buf);
my @unsent = grep { !$client{$_} } sort keys %elsewhere;
printf "records %d\nclient_d %d\nother_d %d\nunsent_d %d\nmessage_d %d\nroot_hits %d\n",
	$records // 0, scalar(keys %client), scalar(keys %elsewhere), scalar(@unsent),
	scalar(keys %in_message), $root_hits // 0;
print "message_record $_\n" for @examples;
print "unsent $_\n" for map { substr($_, 0, 6) . '...' } @unsent[0 .. ($#unsent < 4 ? $#unsent : 4)];
PERL
res=$(perl "$work/audit.pl" "$log" "${SHC_ROOT_KEY_FILE:-/nonexistent}")
sed 's/^/# /' <<<"$res"
val() { awk -v k="$1" '$1 == k {print $2}' <<<"$res"; }
check "the log was read ($(val records) records)" test "$(val records)" -gt 1000
if [ -s "${SHC_ROOT_KEY_FILE:-}" ]; then
	is "$(val root_hits)" 0 "the run's root key is in no record of the log"
else
	notok "the run's root key file is readable by the test"
fi
echo "# private scalars in client statements: $(val client_d); in server-written records: $(val other_d)"
is "$(val unsent_d)" 0 "no private scalar that no client sent appears in the log (plans decoded)"
is "$(val message_d)" 0 "no private scalar appears in an error, warning, notice, detail or hint"

# 4. the privilege tier's file-imported values, in every form it knows
if [ -d "$SCRATCH/known-secrets" ]; then
	n=$(cat "$SCRATCH/known-secrets/keys-at-rest.text" | grep -c .)
	hits=0
	while read -r v; do
		[ -n "$v" ] && grep -qF -- "$v" "$log" && hits=$((hits + 1))
	done < <(cat "$SCRATCH/known-secrets/keys-at-rest.text" "$SCRATCH/known-secrets/keys-at-rest.decimal")
	perl -e 'my $pf = shift; open(my $p, "<", $pf) or die; my @p = map { chomp; pack("H*", $_) } grep { /\S/ } <$p>;
	         open(my $f, "<:raw", shift) or die; local $/; my $c = <$f>; for (@p) { if (index($c, $_) >= 0) { exit 1 } } exit 0' \
		"$SCRATCH/known-secrets/keys-at-rest.hex" "$log" || hits=$((hits + 1))
	is "$hits" 0 "none of the $n private scalars and rid secrets imported only from files is in the log, in any form"
else
	echo "# the privilege tier did not run: its file-imported values are not searched"
	skip=$((skip + 1))
fi
echo "tier log-audit: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
