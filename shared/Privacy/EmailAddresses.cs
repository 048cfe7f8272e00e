using System.Text.RegularExpressions;

namespace Icp.Privacy;

/// <summary>
/// E-mail addresses in folded text, written plainly ("jo.bloggs@nhs.net") or disguised: spaces around <c>@</c> and
/// dots ("jo @ nhs . net"), bracketed words ("jo [at] nhs [dot] net", "jo(at)nhs(dot)net") or bare words
/// ("name at nhs dot net").
/// </summary>
/// <remarks>
/// A disguised address must end in a domain-like top-level label (<see cref="KnownTopLevel"/>): "at" and "dot"
/// are ordinary words ("she arrived at 9 dot on"), and a spaced full stop ends sentences. With a bare "at" the dots
/// must be words or bracketed as well ("guidance at gov.uk" names a website, not a person's address), unless the
/// local part could not be an ordinary word ("jo.bloggs at nhs.net").
/// </remarks>
internal static partial class EmailAddresses
{
    private const string LocalPart = @"(?<![\p{L}\p{N}._%+\-])[\p{L}\p{N}._%+\-]{1,64}";
    private const string Label = @"[\p{L}\p{N}\-]{1,63}";
    private const string End = @"(?![\p{L}\p{N}\-])";

    private const string SymbolAt = @" {0,3}@ {0,3}";
    private const string BracketedAt = @" {0,3}[\[(<{] {0,2}at {0,2}[\])>}] {0,3}";
    private const string WordAt = @" {1,3}at {1,3}";
    private const string SpacedDot = @" {0,3}\. {0,3}";
    private const string BracketedDot = @" {0,3}[\[(<{] {0,2}dot {0,2}[\])>}] {0,3}";
    private const string WordDot = @" {1,3}dot {1,3}";

    // Top-level and common second-level labels; none is an English word that follows "dot" in a sentence.
    private const string KnownTopLevel =
        "(?:com|net|org|uk|gov|nhs|co|ac|edu|sch|info|biz|io|eu|ie|scot|wales|cymru|london)";

    private const string SymbolDisguised = LocalPart + "(?:" + SymbolAt + "|" + BracketedAt + ")" + Label +
        "(?:(?:" + SpacedDot + "|" + BracketedDot + "|" + WordDot + ")" + Label + "){0,5}" +
        "(?:" + SpacedDot + "|" + BracketedDot + "|" + WordDot + ")" + KnownTopLevel + End;

    // "we looked at the dot com boom": after a bare "at", a determiner starts a phrase, not a domain.
    private const string NotDeterminer =
        "(?!(?:the|a|an|this|that|these|those|my|our|your|his|her|their|its|some|any|each|every|no)" +
        @"(?![\p{L}\p{N}\-]))";

    private const string WordDisguised = LocalPart + WordAt + NotDeterminer + Label +
        "(?:(?:" + BracketedDot + "|" + WordDot + ")" + Label + "){0,5}" +
        "(?:" + BracketedDot + "|" + WordDot + ")" + KnownTopLevel + End;

    // "jo.bloggs at nhs.net": with plain dots a bare "at" needs a local part no ordinary word has (a dot, digit,
    // underscore, percent or plus inside it), or "guidance at gov.uk" would be an address.
    private const string AddressLikeLocalPart = @"(?<![\p{L}\p{N}._%+\-])(?=[\p{L}\p{N}._%+\-]{0,62}[._%+\d])" +
        @"[\p{L}\p{N}._%+\-]{0,63}[\p{L}\p{N}]";

    private const string WordDisguisedPlainDots = AddressLikeLocalPart + WordAt + Label + @"(?:\." + Label + "){0,5}" +
        @"\." + KnownTopLevel + End;

    public static IEnumerable<(int Start, int Length)> Find(string folded) =>
        RegexCandidates.Find(Plain(), folded)
            .Concat(RegexCandidates.Find(SymbolDisguisedPattern(), folded))
            .Concat(RegexCandidates.Find(WordDisguisedPattern(), folded))
            .Concat(RegexCandidates.Find(WordDisguisedPlainDotsPattern(), folded));

    [GeneratedRegex(LocalPart + "@" + Label + @"(?:\." + Label + @"){0,8}\.\p{L}{2,24}" + End)]
    private static partial Regex Plain();

    [GeneratedRegex(SymbolDisguised)]
    private static partial Regex SymbolDisguisedPattern();

    [GeneratedRegex(WordDisguised)]
    private static partial Regex WordDisguisedPattern();

    [GeneratedRegex(WordDisguisedPlainDots)]
    private static partial Regex WordDisguisedPlainDotsPattern();
}
