namespace Icp.CaseStudies;

/// <summary>Names this service's assembly for WebApplicationFactory in tests that host several services.</summary>
public sealed class CaseStudiesApiMarker;
