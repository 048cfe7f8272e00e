using Icp.CaseStudies.Domain;
using Xunit;

namespace Icp.CaseStudies.Tests;

public sealed class PiiScreenTests
{
    private static readonly DateOnly Today = new(2025, 10, 15);

    private static List<PiiScreen.Match> Find(string text) => PiiScreen.Find(text, Today);

    // Hand-worked check digits. 943 476 5919: 9·10+4·9+3·8+4·7+7·6+6·5+5·4+9·3+1·2 = 299; 299 mod 11 = 2; 11−2 = 9 ✓.
    // 401 023 2137: 4·10+0+1·8+0+2·6+3·5+2·4+1·3+3·2 = 92; 92 mod 11 = 4; 11−4 = 7 ✓.
    // 400 000 0004: 4·10 = 40; 40 mod 11 = 7; 11−7 = 4 ✓.
    [Theory]
    [InlineData("9434765919")]
    [InlineData("4010232137")]
    [InlineData("4000000004")]
    public void Modulus11_accepts_valid_numbers(string number) => Assert.True(PiiScreen.PassesModulus11(number));

    // 943 476 5918: the check digit should be 9. 123 456 7890: 210 mod 11 = 1, 11−1 = 10 → never valid.
    // 000 000 0010: sum 1·2 = 2; 11−2 = 9, but the last digit is 0.
    [Theory]
    [InlineData("9434765918")]
    [InlineData("1234567890")]
    [InlineData("0000000010")]
    [InlineData("943476591")]
    [InlineData("94347659190")]
    public void Modulus11_rejects_invalid_numbers(string number) => Assert.False(PiiScreen.PassesModulus11(number));

    [Theory]
    [InlineData("Her NHS number is 9434765919 on file.", 18, 10)]
    [InlineData("Ref 943 476 5919.", 4, 12)]
    [InlineData("Ref 943-476-5919.", 4, 12)]
    public void Finds_nhs_numbers(string text, int start, int length) =>
        Assert.Equal([new PiiScreen.Match(start, length, PiiScreen.NhsNumber)], Find(text));

    [Theory]
    [InlineData("A batch of 1234567890 forms was printed.")] // ten digits failing the check
    [InlineData("Ref 9434765918 was wrong by one digit.")]
    [InlineData("The ward code 943 476-5919 mixes separators.")]
    [InlineData("Invoice 94347659190 has eleven digits.")]
    [InlineData("We met 12 residents and 30 staff in 2025.")]
    public void Near_miss_numbers_pass(string text) => Assert.Empty(Find(text));

    [Theory]
    [InlineData("Write to jo.bloggs@nhs.net today.", 9, 17)]
    [InlineData("alice+int@council.gov.uk", 0, 24)]
    public void Finds_email_addresses(string text, int start, int length) =>
        Assert.Equal([new PiiScreen.Match(start, length, PiiScreen.Email)], Find(text));

    [Theory]
    [InlineData("She said @dutydesk on the chat.")]
    [InlineData("Meet at the hub @ 10am.")]
    [InlineData("user@localhost has no domain.")]
    public void Near_miss_emails_pass(string text) => Assert.Empty(Find(text));

    [Theory]
    [InlineData("Call 020 7946 0958 now", 5, 13)]
    [InlineData("Mobile 07700 900123.", 7, 12)]
    [InlineData("Ring +44 7700 900123", 5, 15)]
    [InlineData("Ring +44 (0)20 7946 0958", 5, 19)]
    [InlineData("(01632) 960001 is the desk", 0, 14)]
    [InlineData("Text 07700900123", 5, 11)]
    public void Finds_uk_phone_numbers(string text, int start, int length) =>
        Assert.Equal([new PiiScreen.Match(start, length, PiiScreen.Phone)], Find(text));

    [Theory]
    [InlineData("Call 111 or 999 if worried.")]
    [InlineData("Extension 0123 only.")]
    [InlineData("Score went from 0.75 to 0.82.")]
    [InlineData("It cost £12,000 over 2024-2025.")]
    [InlineData("Dial 04 1234 5678 abroad.")] // no UK number starts 04
    public void Near_miss_phone_numbers_pass(string text) => Assert.Empty(Find(text));

    [Theory]
    [InlineData("She lives at NW1 2DB now", 13, 7)]
    [InlineData("Postcode SW1A1AA.", 9, 7)]
    [InlineData("moved to e1 6an last year", 9, 6)]
    [InlineData("B33 8TH", 0, 7)]
    public void Finds_full_postcodes(string text, int start, int length) =>
        Assert.Equal([new PiiScreen.Match(start, length, PiiScreen.Postcode)], Find(text));

    [Theory]
    [InlineData("Residents across NW1 were reached.")] // district only, not a full postcode
    [InlineData("Bay 3B on ward 4.")]
    [InlineData("the m6 2nd junction was closed")] // lower-case ordinal
    [InlineData("Room A1 2CC had no heating.")] // C is never an inward unit letter
    public void Near_miss_postcodes_pass(string text) => Assert.Empty(Find(text));

    [Theory]
    [InlineData("Born 14/03/1947 in Leeds.", 5, 10)]
    [InlineData("DOB: 3 March 1950.", 5, 12)]
    [InlineData("date of birth 1948-07-21", 14, 10)]
    [InlineData("birthday was 2/5/12 we think", 13, 6)] // two-digit year counts only with a cue
    [InlineData("On 14 March 1947 everything changed.", 3, 13)] // a full date 16+ years back
    [InlineData("Since March 3rd, 1962 she has lived alone.", 6, 15)]
    public void Finds_dates_of_birth(string text, int start, int length) =>
        Assert.Equal([new PiiScreen.Match(start, length, PiiScreen.DateOfBirth)], Find(text));

    [Theory]
    [InlineData("Admitted on 14/03/2025 after a fall.")] // a recent service date
    [InlineData("Seen 2025-09-02 by the duty desk.")]
    [InlineData("In March 2024 the desk opened.")] // month and year only
    [InlineData("Born in the 1950s, she remembers the old hospital.")]
    [InlineData("The story month is 2025-09.")]
    [InlineData("Visits on 2/5/12 and after.")] // two-digit year, no cue
    [InlineData("She was born on 31/02/1950.")] // not a calendar date
    public void Near_miss_dates_pass(string text) => Assert.Empty(Find(text));

    [Fact]
    public void Screen_names_the_field_and_every_span()
    {
        var findings = PiiScreen.Screen(
        [
            ("biggestDifference", "Clean text."),
            ("risks", "Call 07700 900123 or jo@x.org."),
            ("tags[1]", "NW1 2DB"),
            ("otherwise", null),
        ], Today);
        Assert.Equal(
        [
            new PiiFinding("risks", 5, 12, PiiScreen.Phone),
            new PiiFinding("risks", 21, 8, PiiScreen.Email),
            new PiiFinding("tags[1]", 0, 7, PiiScreen.Postcode),
        ], findings);
    }
}
