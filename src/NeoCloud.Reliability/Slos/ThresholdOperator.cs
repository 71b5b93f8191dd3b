namespace NeoCloud.Reliability.Slos;

/// <summary>How a threshold objective compares the indicator's value with its <c>value</c> (OpenSLO <c>op</c>): the comparison that holds when all is well.</summary>
public enum ThresholdOperator
{
    Lt,
    Lte,
    Gt,
    Gte,
}
