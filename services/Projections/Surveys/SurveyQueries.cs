using Icp.Hosting.Security;
using System.Text.Json;
using Icp.Contracts.Surveys;
using Icp.Hosting;
using Icp.Hosting.Intake;
using Npgsql;

namespace Icp.Projections.Surveys;

public sealed record CommentCoding(IReadOnlyList<string> Themes, string Sentiment, string? CodedBy);

/// <summary>What one wave's analyses need: the wave, its instrument and its responses (and codings).</summary>
public sealed record WaveData(WaveDefinedV1 Wave, InstrumentDefinedV1 Instrument, IReadOnlyList<SurveyResponse> Responses);

/// <summary>Reads the survey read models.</summary>
public sealed class SurveyQueries(NpgsqlDataSource dataSource)
{
    /// <summary>The wave with its instrument and responses; null (with the reason) when either is not known yet.</summary>
    /// <summary>A wave naming a unit outside the caller's systems is answered as one that does not exist.</summary>
    public async Task<(WaveData? Data, string? Missing)> LoadWaveAsync(string waveId, HttpContext http, CancellationToken ct)
    {
        var (data, missing) = await LoadWaveAsync(waveId, ct);
        return data is null || (await http.UnitScopeAsync(data.Wave.UnitIds)).IncludesAll(data.Wave.UnitIds)
            ? (data, missing)
            : (null, $"No wave {Text.Echo(waveId)}.");
    }

    public async Task<(WaveData? Data, string? Missing)> LoadWaveAsync(string waveId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            select w.data::text, i.data::text from rm_survey_waves w
            left join rm_survey_instruments i on i.instrument_id = w.instrument_id where w.wave_id = $1
            """);
        command.Parameters.Add(new() { Value = waveId });
        string waveJson, instrumentJson;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct)) return (null, $"No wave {Text.Echo(waveId)}.");
            if (reader.IsDBNull(1)) return (null, $"The instrument of wave {Text.Echo(waveId)} is not known yet.");
            (waveJson, instrumentJson) = (reader.GetString(0), reader.GetString(1));
        }
        var responses = new List<SurveyResponse>();
        await using var select = dataSource.CreateCommand("select data::text from rm_survey_responses where wave_id = $1 order by respondent_id");
        select.Parameters.Add(new() { Value = waveId });
        await using (var reader = await select.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) responses.Add(Deserialize<SurveyResponse>(reader.GetString(0)));
        return (new WaveData(Deserialize<WaveDefinedV1>(waveJson), Deserialize<InstrumentDefinedV1>(instrumentJson), responses), null);
    }

    public async Task<Dictionary<(string RespondentId, string ItemId), CommentCoding>> CodingsAsync(string waveId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "select respondent_id, item_id, themes, sentiment, coded_by from rm_survey_comment_codings where wave_id = $1");
        command.Parameters.Add(new() { Value = waveId });
        var codings = new Dictionary<(string, string), CommentCoding>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            codings[(reader.GetString(0), reader.GetString(1))] = new CommentCoding(reader.GetFieldValue<string[]>(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4));
        return codings;
    }

    private static T Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, ServiceDefaults.Json)!;
}
