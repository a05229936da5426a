using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using Microsoft.Exchange.Data.Transport;

namespace ExchangeApi.Simulator;

// MailItem.Properties / EnvelopeRecipient.Properties as Exchange persists them: keys up to 255 characters; values only
// primitives, string, DateTime, Guid, IPAddress, RoutingAddress, or arrays / List<> of those (else
// ArgumentOutOfRangeException). Every access goes through the owner's access check ("Message Deferred", threads).
internal sealed class ExtendedPropertyDictionary : IDictionary<string, object>
{
    private const int MaxKeyLength = 255;

    private readonly Dictionary<string, object> _values;
    private readonly Action _checkAccess;

    public ExtendedPropertyDictionary(Action checkAccess, IEnumerable<KeyValuePair<string, object>>? initial = null)
    {
        _checkAccess = checkAccess;
        _values = new Dictionary<string, object>(StringComparer.Ordinal);
        if (initial is not null)
        {
            foreach (var pair in initial)
            {
                _values.Add(pair.Key, pair.Value);
            }
        }
    }

    public ICollection<string> Keys
    {
        get
        {
            _checkAccess();
            return _values.Keys;
        }
    }

    public ICollection<object> Values
    {
        get
        {
            _checkAccess();
            return _values.Values;
        }
    }

    public int Count
    {
        get
        {
            _checkAccess();
            return _values.Count;
        }
    }

    public bool IsReadOnly => false;

    public object this[string key]
    {
        get
        {
            _checkAccess();
            return _values[key];
        }

        set
        {
            _checkAccess();
            Validate(key, value);
            _values[key] = value;
        }
    }

    // For the simulator's own snapshot at delivery: no access check.
    public Dictionary<string, object> Snapshot() => new(_values, StringComparer.Ordinal);

    public void Add(string key, object value)
    {
        _checkAccess();
        Validate(key, value);
        _values.Add(key, value);
    }

    public void Add(KeyValuePair<string, object> item) => Add(item.Key, item.Value);

    public void Clear()
    {
        _checkAccess();
        _values.Clear();
    }

    public bool Contains(KeyValuePair<string, object> item)
    {
        _checkAccess();
        return ((ICollection<KeyValuePair<string, object>>)_values).Contains(item);
    }

    public bool ContainsKey(string key)
    {
        _checkAccess();
        return _values.ContainsKey(key);
    }

    public void CopyTo(KeyValuePair<string, object>[] array, int arrayIndex)
    {
        _checkAccess();
        ((ICollection<KeyValuePair<string, object>>)_values).CopyTo(array, arrayIndex);
    }

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        _checkAccess();
        return _values.GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Remove(string key)
    {
        _checkAccess();
        return _values.Remove(key);
    }

    public bool Remove(KeyValuePair<string, object> item)
    {
        _checkAccess();
        return ((ICollection<KeyValuePair<string, object>>)_values).Remove(item);
    }

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object value)
    {
        _checkAccess();
        return _values.TryGetValue(key, out value);
    }

    private static void Validate(string key, object value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (key.Length == 0 || key.Length > MaxKeyLength)
        {
            throw new ArgumentOutOfRangeException(nameof(key), "Property names must be 1 to 255 characters long.");
        }

        if (!IsStorable(value.GetType()))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "Values of type " + value.GetType().FullName + " cannot be stored in an extended property.");
        }
    }

    private static bool IsStorable(Type type)
    {
        if (IsScalar(type))
        {
            return true;
        }

        if (type.IsArray)
        {
            return type.GetArrayRank() == 1 && IsScalar(type.GetElementType()!);
        }

        return type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) && IsScalar(type.GetGenericArguments()[0]);
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive
        || type == typeof(string)
        || type == typeof(DateTime)
        || type == typeof(Guid)
        || type == typeof(IPAddress)
        || type == typeof(RoutingAddress);
}
