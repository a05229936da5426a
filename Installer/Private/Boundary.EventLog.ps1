# Boundary (the tests replace these): the Windows event log.

function Get-AgentEventSourceLog {
    # The log the source writes to, or $null when it does not exist. SourceExists searches every log, including
    # Security, which can throw for lack of rights: that counts as "not found" and creating it will then tell.
    param([Parameter(Mandatory)][string] $Name)

    try {
        if ([System.Diagnostics.EventLog]::SourceExists($Name)) {
            return [System.Diagnostics.EventLog]::LogNameFromSourceName($Name, '.')
        }
    }
    catch [System.Security.SecurityException] {
        Write-Verbose "Could not search every event log for source '$Name': $($_.Exception.Message)"
    }
    $null
}

function Register-AgentEventSource {
    # CreateEventSource also sets EventMessageFile to the .NET Framework's EventLogMessages.dll, so the Event
    # Viewer shows our messages instead of "The description for Event ID ... cannot be found".
    param(
        [Parameter(Mandatory)][string] $Name,
        [Parameter(Mandatory)][string] $LogName
    )

    [System.Diagnostics.EventLog]::CreateEventSource($Name, $LogName)
}

function Unregister-AgentEventSource {
    param([Parameter(Mandatory)][string] $Name)

    [System.Diagnostics.EventLog]::DeleteEventSource($Name)
}
