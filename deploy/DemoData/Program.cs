using Icp.DemoData;

// Loads the synthetic, deterministic demo through the gateway: usage `Icp.DemoData [gatewayUrl]`.
var gateway = new Uri(args.FirstOrDefault() ?? Environment.GetEnvironmentVariable("ICP_GATEWAY_URL") ?? "http://127.0.0.1:8080");
using var client = new DemoClient(gateway);
var today = DateOnly.FromDateTime(DateTime.UtcNow);

IDemoSection[] sections = [new IndicatorsDemo(today), new ReferralsDemo(today), new SurveysDemo(), new CaseStudiesDemo()];
foreach (var section in sections)
{
    Console.WriteLine($"[demo] {section.Name}");
    await section.LoadAsync(client);
}
Console.WriteLine("[demo] loaded");
