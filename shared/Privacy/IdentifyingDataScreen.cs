namespace Icp.Privacy;

/// <summary>The kinds of identifying data the screen reports; the strings are part of the public API.</summary>
public static class IdentifyingDataKind
{
    public const string NhsNumber = "nhs_number";
    public const string Email = "email";
    public const string Phone = "phone";
    public const string Postcode = "postcode";
    public const string DateOfBirth = "date_of_birth";

    public static IReadOnlyList<string> All { get; } = [NhsNumber, Email, Phone, Postcode, DateOfBirth];

    /// <summary>The kind in words, for error messages ("an NHS number").</summary>
    public static string Describe(string kind) => kind switch
    {
        NhsNumber => "an NHS number",
        Email => "an e-mail address",
        Phone => "a phone number",
        Postcode => "a postcode",
        DateOfBirth => "a date of birth",
        _ => kind,
    };
}

/// <summary>Identifying data found in one field: where it starts and how long it is in the field's own text.</summary>
public sealed record Finding(string Field, int Start, int Length, string Kind);

/// <summary>
/// Finds identifying data in free text before anything is stored: NHS numbers (ten digits passing the modulus-11
/// check), e-mail addresses, UK phone numbers, full UK postcodes and dates of birth. Pure: no I/O, no clock (the
/// caller passes today's date, used to recognise birth dates).
/// </summary>
/// <remarks>
/// Text is folded before matching (full-width and other look-alike characters, every kind of space, invisible
/// characters, dashes, digits of other scripts and letter case), so "９４３ ４７６ ５９１９"
/// or "jo＠nhs.net" are caught as readily as their plain forms. Spans are always positions in the original text.
/// Where two findings would overlap, the one of the earlier kind in the order e-mail, phone, date of birth, NHS
/// number, postcode is kept (the digits of a phone number or an e-mail address are reported once).
/// </remarks>
public static class IdentifyingDataScreen
{
    /// <summary>
    /// A full date this many years or more before today is read as a date of birth even without a cue.
    /// </summary>
    public const int BirthDateMinimumAgeYears = 16;

    /// <summary>A birth cue ("born", "DOB", "date of birth") counts up to this many characters before a date.</summary>
    public const int BirthCueWindow = BirthDates.CueWindow;

    /// <summary>One span of identifying data in a text.</summary>
    public readonly record struct Match(int Start, int Length, string Kind);

    /// <summary>Every span of identifying data in <paramref name="text"/>, ordered by position.</summary>
    public static List<Match> Find(string text, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(text);
        var folded = FoldedText.Fold(text);
        var candidates = new (string Kind, IEnumerable<(int Start, int Length)> Spans)[]
        {
            (IdentifyingDataKind.Email, EmailAddresses.Find(folded.Text)),
            (IdentifyingDataKind.Phone, PhoneNumbers.Find(folded.Text)),
            (IdentifyingDataKind.DateOfBirth, BirthDates.Find(folded.Text, today)),
            (IdentifyingDataKind.NhsNumber, NhsNumbers.Find(folded.Text)),
            (IdentifyingDataKind.Postcode, Postcodes.Find(folded)),
        };
        var claimed = new bool[folded.Text.Length];
        var found = new List<Match>();
        foreach (var (kind, spans) in candidates)
        {
            foreach (var (start, length) in spans.OrderBy(s => s.Start).ThenByDescending(s => s.Length).ToList())
            {
                if (claimed.AsSpan(start, length).Contains(true)) continue;
                claimed.AsSpan(start, length).Fill(true);
                var (originalStart, originalLength) = folded.ToOriginal(start, length);
                found.Add(new Match(originalStart, originalLength, kind));
            }
        }
        found.Sort((a, b) => a.Start.CompareTo(b.Start));
        return found;
    }

    /// <summary>
    /// Screens every field and also what spans the boundaries between them, so that identifying data cannot be
    /// split across fields to get past the screen. Findings come ordered by field (in the order given), then by
    /// position.
    /// </summary>
    /// <remarks>
    /// The non-empty fields, in the order given, are also screened joined into one text with a space between each
    /// and the next (field A ending "NHS no 943 476" and field B starting "5919" read "NHS no 943 476 5919"). A
    /// finding in that joined text that crosses a boundary is reported in every field it touches, each time with the
    /// part of the span that lies in that field ("943 476" in A, "5919" in B), unless that part overlaps something
    /// already found in the field on its own. Findings within one field come from screening that field alone.
    /// </remarks>
    public static List<Finding> Screen(IEnumerable<(string Field, string? Text)> fields, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var present = fields.Where(f => !string.IsNullOrEmpty(f.Text)).Select(f => (f.Field, Text: f.Text!)).ToList();
        var perField = present.Select(f => Find(f.Text, today)
            .Select(m => new Finding(f.Field, m.Start, m.Length, m.Kind)).ToList()).ToList();
        if (present.Count > 1) AddFindingsAcrossBoundaries(present, perField, today);
        return perField.SelectMany(findings => findings.OrderBy(f => f.Start)).ToList();
    }

    /// <summary>
    /// True when ten digits pass the NHS number check: weights 10 down to 2 on the first nine digits; 11 minus the
    /// remainder of the sum divided by 11 is the check digit (11 counts as 0, and 10 means the number is not valid).
    /// </summary>
    public static bool PassesModulus11(string tenDigits) => NhsNumbers.PassesModulus11(tenDigits);

    private static void AddFindingsAcrossBoundaries(List<(string Field, string Text)> fields,
        List<List<Finding>> perField, DateOnly today)
    {
        var offsets = new int[fields.Count];
        for (var i = 1; i < fields.Count; i++) offsets[i] = offsets[i - 1] + fields[i - 1].Text.Length + 1;
        var joined = string.Join(' ', fields.Select(f => f.Text));
        foreach (var match in Find(joined, today))
        {
            var end = match.Start + match.Length;
            var touched = Enumerable.Range(0, fields.Count)
                .Where(i => match.Start < offsets[i] + fields[i].Text.Length && offsets[i] < end)
                .ToList();
            if (touched.Count < 2) continue;
            foreach (var i in touched)
            {
                var start = Math.Max(match.Start, offsets[i]) - offsets[i];
                var length = Math.Min(end, offsets[i] + fields[i].Text.Length) - offsets[i] - start;
                if (perField[i].Any(f => start < f.Start + f.Length && f.Start < start + length)) continue;
                perField[i].Add(new Finding(fields[i].Field, start, length, match.Kind));
            }
        }
    }
}
