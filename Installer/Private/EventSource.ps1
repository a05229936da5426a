# Steps: the event source the agent writes to.

function Install-AgentEventSource {
    # Only an administrator can create an event source; the transport service account can only write to it.
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param()

    $log = Get-AgentEventSourceLog -Name $script:EventSourceName
    if ($log -eq $script:EventLogName) {
        return
    }
    if ($log) {
        throw "The event source '$script:EventSourceName' already belongs to the '$log' log, not '$script:EventLogName'. Nothing else was changed. Remove it with [System.Diagnostics.EventLog]::DeleteEventSource('$script:EventSourceName') and run install.ps1 again."
    }
    $description = "Create event source '$script:EventSourceName' in the $script:EventLogName log"
    if ($PSCmdlet.ShouldProcess($description, 'Create event source')) {
        Register-AgentEventSource -Name $script:EventSourceName -LogName $script:EventLogName
    }
    $description
}

function Uninstall-AgentEventSource {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param()

    if (-not (Get-AgentEventSourceLog -Name $script:EventSourceName)) {
        return
    }
    $description = "Remove event source '$script:EventSourceName'"
    if ($PSCmdlet.ShouldProcess($description, 'Remove event source')) {
        Unregister-AgentEventSource -Name $script:EventSourceName
    }
    $description
}
