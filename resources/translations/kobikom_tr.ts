<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="tr_TR" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About {app}</source>
        <extracomment>Size of the icon in the dialog (logical px).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version {version}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Caller popups and call tools for Kobikom PBX agents.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Qt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PySide6</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Python</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proprietary software. Uses Qt and PySide6 under the GNU LGPL version 3.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AccountCheck</name>
    <message>
        <source>The PBX reported no extensions.</source>
        <extracomment>Below this many SMS credits the check warns (the unit is not documented: the old API reports whole credits, the new one a decimal string). It works, but look at this (low SMS balance, extension not chosen yet). The event server closed the connection right after the login, silently. Skipped: it needs the login, which failed. REST connect timeout; reads get ``rest_read``. Whole login, and whole extension fetch. Event channel: TCP/TLS/WebSocket opening, quiet time that means &quot;accepted&quot;, and the whole check. The PBX&apos;s extensions (None: could not be fetched). SMS credits (None: not checked or unknown). How many of the PBX&apos;s extensions a &quot;not found&quot; message lists.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type your extension below; your administrator or Kobikom&apos;s technical team can tell you which it is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The PBX has {count} extensions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick yours from the list below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extension {extension} is not on your PBX.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick your extension from the list below (the PBX has: {known}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The PBX reported no extensions; ask your administrator which extension is yours.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extension {extension} found on the PBX.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The e-mail and password are not entered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter them on the previous page.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{host} rejected the e-mail or password ({detail}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot reach {host} ({detail}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the internet connection. If you changed the REST address under Advanced, check it (empty = Kobikom&apos;s). A firewall or proxy may be blocking the connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s certificate is not trusted: {detail}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If your company uses its own certificate authority (e.g. a proxy that inspects HTTPS), choose its CA certificate under Advanced. Otherwise check the server address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{host} did not answer in time ({detail}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try again. If it keeps happening, check the connection or write to yazilim@kobikom.com.tr.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{host} answered with an error: {detail}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the addresses under Advanced. If they are right, try again later or write to yazilim@kobikom.com.tr.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the e-mail and password you log in to the Kobikom panel with.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use your KobiPBX API e-mail and password; Kobikom&apos;s technical team provides them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kobikom switches the Tekil TCP socket on only on request: write to yazilim@kobikom.com.tr, or choose WebSocket under Advanced.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the API key (&quot;API ANAHTARI&quot;) from your Kobikom panel again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the domain UUID; Kobikom&apos;s technical team provides it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in to {host} as {user}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not checked: signing in failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The domain UUID is not entered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter it on the previous page; Kobikom&apos;s technical team provides it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KobiPBX does not know this domain UUID ({detail}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The API key is not entered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter it on the previous page.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to {host}; the server accepted the login.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to {host}; the server did not object to the login within {seconds} s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The live event server rejected the domain UUID ({detail}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The live event server rejected the panel login ({detail}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The live event server rejected the API key ({detail}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{host} closed the connection right after the login ({detail}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot reach the live event server {host} ({detail}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the internet connection, and the server and port under Advanced (empty = Kobikom&apos;s). Firewalls often block port {port}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The live event server {host} failed: {detail}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No SMS token entered (optional).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In the SMS panel, open Ayarlar (Settings) → SMS API and copy the key again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In the SMS panel, open Ayarlar (Settings) → SMS API and copy the token again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The SMS service rejected the token ({detail}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS token accepted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS token accepted, but the balance is low: {balance}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top up your SMS balance in the Kobikom SMS panel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS token accepted; balance: {balance}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AccountPage</name>
    <message>
        <source>Change them anyway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>name@company.com.tr</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shown in your Kobikom panel as &quot;API ANAHTARI&quot;. The app uses it to receive your calls live.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Domain UUID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your company&apos;s KobiPBX domain UUID, from Kobikom&apos;s technical team. It unlocks your company&apos;s live call events: keep it private.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS API token (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only for sending SMS. In the Kobikom SMS panel: Ayarlar (Settings) → SMS API.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Advanced connection settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live events over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live event server and port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave empty for Kobikom&apos;s server (shown in grey).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encrypted connection (TLS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None (the system&apos;s certificates)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CA certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only for a private certificate authority (PEM file). Certificates are always verified.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>REST address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave empty for Kobikom&apos;s (shown in grey).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New SMS API (sms.kobikom.com.tr)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Old SMS API (smspaneli.kobikom.com.tr)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>domain UUID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a valid port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Still needed: {fields}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AccountSetup</name>
    <message>
        <source>The settings file cannot be used</source>
        <extracomment>Wait this long after start before the first-run wizard opens (the tray first).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{problem}
Set up the account here; saving replaces the file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings file</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Application</name>
    <message>
        <source>Settings file</source>
        <extracomment>The demo extension and how soon the first demo call rings.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Telephone links</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent calls…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missed calls…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send SMS…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS history…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set up account…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Softphone QR code…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not set up yet: open Settings… or try Demo mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kobikom Desktop is already running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The settings window is not available.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The contacts window is not available.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something went wrong: {0}

Details are in the log file:
{1}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CallDirection</name>
    <message>
        <source>Missed call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incoming call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outgoing call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Internal call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CallHistory</name>
    <message>
        <source>Calls from while the app was offline could not be fetched</source>
        <extracomment>While connected, the journal&apos;s &quot;complete until&quot; mark is refreshed this often (ms). Wait this long after an answered call ended before asking for its record (s). Coalesce bursts of call changes before the open window re-queries (ms).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 call was missed while the app was offline.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} calls were missed while the app was offline.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missed calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The recording is incomplete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only {0} of {1} arrived. Try again later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try again later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server did not send a recording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What arrived is not an audio file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The recording is damaged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No recording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The PBX has no recording of this call.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This call is not in the call history.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recordings need the PBX account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the panel e-mail and password in Settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The recording could not be downloaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The recording is not available</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CallerPopup</name>
    <message>
        <source>Dismiss</source>
        <extracomment>Seconds an ended (not missed) call&apos;s popup stays before closing itself. Width of the card in logical pixels (the window adds the shadow around it). Gap between the screen&apos;s available area and the cards (logical px). Gap between two stacked cards (logical px). Soft shadow around the card when the window can be translucent. The call timer ticks on whole seconds of talk time. Frame interval and period of the ringing pulse. Lines of notes shown before eliding (the full text is in the tooltip). How many closed call ids are remembered so late updates do not reopen them. Accent colours by state. Colour of the action buttons (the brand blue, independent of the state). libphonenumber types that can receive an SMS. Live-call control (Tekil WebSocket only): transfer to an extension, hang up.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add to contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Play recording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hang up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Withheld number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown caller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>withheld</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Called once before</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Called %n times before</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Called once before, last today at {time}</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Called %n times before, last today at {time}</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Called once before, last yesterday at {time}</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Called %n times before, last yesterday at {time}</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Called once before, last on {date}</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Called %n times before, last on {date}</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Queue: {queue}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Internal call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The caller withheld the number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Caller ID name: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kobikom – {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incoming call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On hold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missed call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answered by a colleague</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call ended</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CheckPage</name>
    <message>
        <source>Test connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kobikom Desktop now talks to the real servers with the details you entered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live call events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your extension</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 1001</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The internal number of your desk phone or softphone: pick it from the list the PBX sent, or type it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save and connect</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CheckRow</name>
    <message>
        <source>Not tested yet.</source>
        <extracomment>How-to-fix lines: darker than the grey help notes (they matter more). The extension number at the start of a picker label (&quot;1002 – Mehmet Kaya&quot;).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ClickToCallBridge</name>
    <message>
        <source>Dial…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dial number from clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The clipboard holds no text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calling {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your phone ({extension}) is ringing; then {number} will be called.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The call was sent to the PBX; your phone ({extension}) should ring first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The PBX did not place the call: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call not placed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The call may have started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server did not answer in time; the call may have started — check your phone before trying again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server reported an error; the call may have started — check your phone before trying again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not reach the PBX, so nothing was dialled. Check the connection and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The PBX rejected the login. Check the e-mail and password in Settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click-to-call is not set up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Settings and enter your extension and the panel login ({detail}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no number to call.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The text is too long to be a phone number; copy just the number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{text}” contains no phone number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{text}” contains more than one phone number; choose one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The number was withheld; it cannot be called back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The outside-line prefix in the settings may only contain digits, * and #.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{text}” is not a valid phone number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transfer failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hang-up failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The PBX refused: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That is not an extension.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected to the PBX; nothing was sent.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ContactEditDialog</name>
    <message>
        <source>New contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit contact – {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First and last name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Company:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Numbers:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>name@company.com.tr</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-mail:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notes:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also add to the PBX phonebook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adds the name and the first number to the Tekil Santral phonebook, so desk phones show the name too.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From the PBX phonebook: the next sync with the PBX replaces changes made here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported from {file}: importing that file again replaces changes made here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correct or remove the numbers marked “not a phone number”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The PBX phonebook needs a phone number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This does not look like an e-mail address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter at least a name or a number.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ContactTableModel</name>
    <message>
        <source>Name</source>
        <extracomment>``data(index, ContactIdRole)``: the contact&apos;s id.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Company</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PBX phonebook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file} (CSV)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file} (vCard)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ContactsService</name>
    <message>
        <source>Only Tekil Santral accounts have a PBX phonebook; KobiPBX (Bulut Santral) has no phonebook API. For Tekil, enter the panel e-mail and password in Settings.</source>
        <extracomment>Delay between the last key typed in the search box and the search. Most results of one search. Contacts listed while the search box is empty (type to find the others). Problem rows of an import visible without scrolling. createContact ``tur`` (digest §5.2): 1 Ev (home), 2 İş (work), 3 Diğer (other). Inline error text (the popup&apos;s &quot;missed&quot; red). The contact to update, or None for a new one. Also add it to the Tekil PBX phonebook (``createContact``). The phonebook group id (``getGroupList`` ``id``); None = the first group.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searching the contacts failed: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The contact was deleted in the meantime; add it again if you need it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The contact could not be saved: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The contact could not be deleted: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An import is already running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file} could not be imported: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The PBX sent a phonebook we cannot read: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The PBX phonebook could not be saved: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The PBX phonebook needs a phone number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The PBX phonebook has no group yet: create one in the Kobikom panel (Rehber) first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The PBX did not add the contact: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Kobikom panel refused the login: check the e-mail and password in Settings. ({detail})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No clear answer from the Kobikom panel: the contact may or may not have been added. Check the panel before trying again. ({detail})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Kobikom panel cannot be reached: check the internet connection. ({detail})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Kobikom panel had a problem. ({detail})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Kobikom panel refused the request. ({detail})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ContactsWindow</name>
    <message>
        <source>Contacts – Kobikom Desktop</source>
        <extracomment>A saved edit also goes to the PBX: its outcome must not be hidden by &quot;Saved&quot;.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search by name, company or number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync with PBX</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No contact matches “{query}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No contacts yet.
Add one, import a CSV or vCard file, or sync with the PBX phonebook.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} matches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The first {shown} of {total} contacts: type to find the others.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace the PBX contacts here with the Tekil Santral phonebook.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete “{name}”?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved “{name}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adding it to the PBX phonebook…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The contact was deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact files (*.csv *.vcf *.vcard)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vCard files (*.vcf *.vcard)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Importing {file}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing from {file} was saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported {file}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added {added}, updated {updated}, unchanged {unchanged}, skipped {skipped}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Line {line}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Line {line}: {reason} (the rest of the row was imported)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync with the PBX failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fetching the PBX phonebook…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Synced with the PBX phonebook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added {added}, updated {updated}, unchanged {unchanged}, removed {removed}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added to the PBX phonebook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{name}” is saved here and in the PBX phonebook.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not added to the PBX phonebook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something went wrong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide the row with a problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide the {count} rows with problems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the row with a problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the {count} rows with problems</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DialConfirmDialog</name>
    <message>
        <source>Confirm call – Kobikom</source>
        <extracomment>The dialer&apos;s keyboard shortcut while any window of the app is active. How long after the settings file changed it is read again (ms): saving writes a temporary file and renames it, which fires several notifications.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call a premium-rate number?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calls to this number are charged at a premium rate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call an international number?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This number is in {country}. International calls may cost more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This number is outside Turkey. International calls may cost more.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DialerWindow</name>
    <message>
        <source>Dial – Kobikom</source>
        <extracomment>The window&apos;s size when it first opens (logical px). Height of one result row (logical px at the default font). Colours of the row avatars. Bumped when the recent calls change: a search with older ones is stale too. Seconds each shown search took from keystroke to screen (benchmark).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name, company or number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search contacts and recent calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter calls · Esc closes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mobile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Work</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Home</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missed call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outgoing call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incoming call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yesterday {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Premium-rate number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>International number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The number you typed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Matches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a name, a company or a number.
Recent calls appear here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No contact has a number with “{text}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No contact matches “{text}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a number or a name first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That is too long to be a phone number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{text}” contains no phone number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{text}” contains more than one number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The number was withheld.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The outside-line prefix in the settings is not valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{text}” is not a valid phone number.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <source>Withheld number</source>
        <extracomment>Rows read from the journal per page. Pages kept in memory (a screenful needs one or two). Search-as-you-type waits this long after the last key (ms). Most matching directory contacts whose numbers a name search also finds. libphonenumber types that can receive an SMS (as in the popup). ``data(index, ROW_ROLE)`` is the row&apos;s :class:`HistoryRow`. Display texts by (row id, column): formatting a number costs more than painting. Call ids shown as &quot;new&quot; (missed and unseen when the window opened). Pages read from the journal (diagnostics, tests, the benchmark).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Called back {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queue {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missed · called back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answered by a colleague</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yesterday {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryWindow</name>
    <message>
        <source>Recent calls – Kobikom Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incoming</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outgoing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dates…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search name or number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send SMS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Play recording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add to contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The call history could not be read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <source>Note on {0}</source>
        <extracomment>Search the directory: number keys of contacts whose name matches.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shown on the next popup for {0}:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. prefers calls after 14:00</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NoticeBox</name>
    <message>
        <source>Close</source>
        <extracomment>(background, border) per kind: the popup&apos;s accent colours, lightened. Extra widgets (buttons, lists) go here, under the text.</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NumberLabel</name>
    <message>
        <source>Mobile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Work</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Home</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QrDialog</name>
    <message>
        <source>Softphone QR code</source>
        <extracomment>How large the code is shown, in logical pixels (a phone scans it easily). Longest error detail shown (an exception may carry a whole answer). Width of the extension picker, in characters (&quot;101000 – Ayşe Demir&quot;). The apps, in the order offered. ``(extension, app) -&gt; PNG bytes`` (raises pbx errors / AccountIncomplete). ``() -&gt; the PBX&apos;s extensions`` (optional). The PNG as the PBX sent it, and the image on screen.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoiper</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grandstream Wave</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone app:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extension:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The code contains your extension&apos;s password: scan it only with your own phone, and do not share or print it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as PNG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On your phone, open Zoiper and add an account by scanning a QR code (usually: Settings → Accounts → + → Scan QR code). Names of the menus vary between versions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On your phone, open Grandstream Wave and add an account by scanning a QR code (usually: Settings → Account Settings → + → Scan QR code). Names of the menus vary between versions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No QR code for KobiPBX accounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kobikom documents QR codes only for Tekil Santral. For Bulut Santral (KobiPBX), ask Kobikom&apos;s technical team for your extension&apos;s SIP settings and enter them in the phone app by hand.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose an extension.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the QR code…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set up your account first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The QR code needs your panel e-mail and password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-in failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The panel rejected your e-mail or password. Check them in Settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extension not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The PBX has no extension {extension}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The panel cannot be reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The panel did not send a QR code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The QR code could not be shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No QR code to show.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the QR code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file could not be saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved as {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecordingPlayer</name>
    <message>
        <source>Recording – {0}</source>
        <extracomment>Give the decoder this long to open a file before saying it failed (ms).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downloading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Play</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Position</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Speed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Volume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downloading… %p%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downloading… {0} KB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Playback is not available on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The recording was downloaded; use “Save as…” to open it in another program. ({0})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No audio output device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing can be heard on this computer right now (no speakers or headset found). Use “Save as…” to keep the recording.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This file cannot be played</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It is not a recording the player understands.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The recording could not be played</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The recording could not be opened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The media decoder gave no answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save recording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WAV audio (*.wav)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save the recording</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Kobikom Desktop – Settings</source>
        <extracomment>Auto-close delay of the popup, seconds. Width of the dialog (logical px); the height follows the tallest tab. Most rows of one tab (the grid&apos;s stretch row goes below them). Colours of the inline messages (the popup&apos;s palette). Secrets that come from an environment variable (they take precedence). (secret, account, new value); an empty value deletes the secret. The TLS choice for WebSocket, kept while TCP is selected.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use a settings file prepared by your IT administrator (it holds no passwords).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tekil Santral</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bulut Santral (KobiPBX)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 1001</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your extension(s):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The internal number of your desk phone or softphone. Several: separate them with commas (1001, 1002).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Domain UUID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Provided by Kobikom&apos;s technical team. It is the only key to your company&apos;s live call events: keep it private.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>name@company.com.tr</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Login e-mail:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The &quot;API ANAHTARI&quot; (API key) shown in your Kobikom panel. Used to log in to the live call events.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log in to the Tekil WebSocket with the panel token instead of the API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The token comes from logging in with the e-mail and password above.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live events over:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave empty for Kobikom&apos;s server (shown in grey).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encrypted connection (TLS, wss://)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Security:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None (the system&apos;s certificates)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CA certificate:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional, only for a private or test certificate authority (PEM file). Certificates are always verified.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>REST address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The panel API used for calls, history and the phonebook. Leave empty for Kobikom&apos;s (shown in grey).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Popup &amp;&amp; language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show a popup when a call rings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bottom right</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top right</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bottom left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Screen corner:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On the screen where the mouse is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close after:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How long the popup of an ended call stays. Missed calls stay until you close them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new language takes effect when Kobikom Desktop is restarted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tekil Santral: your own PBX, managed in the Kobikom panel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The e-mail you log in to the Kobikom panel with.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your panel password. Used for calls from the app, call history and the PBX phonebook.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bulut Santral: the KobiPBX cloud PBX (api.kobipbx.com).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your KobiPBX login e-mail; the credentials come from Kobikom&apos;s technical team.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your KobiPBX password. Used for calls from the app and call history.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Tekil TCP service must first be enabled by Kobikom: ask yazilim@kobikom.com.tr. WebSocket works without that.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP is the usual choice for desktop apps.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use WebSocket if your network blocks other ports.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{value} (default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The TCP services are not encrypted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Without TLS, Tekil&apos;s WebSocket listens on port 8088 (with TLS: 8098).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KobiPBX&apos;s WebSocket is always encrypted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a CA certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings files (*.toml)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This file cannot be imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings from {file} are filled in; click Save to keep them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{value}” is not an extension number: use digits only, separated by commas.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter your extension to get call popups.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bulut Santral accounts need the domain UUID to receive calls.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This does not look like a UUID (8-4-4-4-12 hexadecimal digits). Check it with Kobikom if calls do not arrive.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This does not look like an e-mail address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The {name} environment variable is set and is used instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter only a host name or IP address (no “wss://”, no port, no spaces).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port must be a number from 1 to 65535 (empty: the default).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no such file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a full address such as https://panelapi.kobikom.com.tr (empty: the default).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the keyring…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the saved password and API key…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the keyring could not be read ({error})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set by the {name} environment variable, which takes precedence.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no working system keyring was found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passwords and keys are kept for this session only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You will have to enter them again after restarting the app. Reason: {problem}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please correct the fields marked in red.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The settings could not be saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file}: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>storing the secrets failed ({error})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The settings were saved, but the keyring refused a secret</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>Set up Kobikom Desktop</source>
        <extracomment>The PBX&apos;s extensions from the last check (None: not fetched). Why secrets are kept for this session only (None: the keyring works).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tekil Santral sign-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your Kobikom panel sign-in and API key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The e-mail address you sign in to the Kobikom panel with.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your Kobikom panel password. It is kept in the system keyring, never in a file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bulut Santral (KobiPBX) sign-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your KobiPBX API sign-in and your company&apos;s domain UUID.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your KobiPBX API e-mail address, from Kobikom&apos;s technical team.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your KobiPBX API password, from Kobikom&apos;s technical team. It is kept in the system keyring, never in a file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS API key (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS API token (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kobikom switches the Tekil TCP socket on only on request (yazilim@kobikom.com.tr). WebSocket works without that.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP is the usual choice for desktop apps.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use WebSocket if your network blocks other ports.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set by your administrator&apos;s settings file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set up by your administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>These settings come from {file}: {names}. Enter only your own sign-in details.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>your administrator&apos;s settings file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>account type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>domain UUID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>certificates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>REST address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS sender</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CRM id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings files (*.toml)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This file cannot be imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings from {file} are filled in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CA certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No system keyring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your password and keys can be kept only until you quit Kobikom Desktop; you will be asked again next time. ({problem})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Some checks failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fix what is marked and test again. You can also save now and fix it later in Settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everything works</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click &quot;Save and connect&quot; to start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check your extension</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An extension is a number such as 1001.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The settings could not be saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{path}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SmsComposer</name>
    <message>
        <source>Send SMS</source>
        <extracomment>Asks before a multi-part message; tests replace it.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>0532 123 45 67, 0542 …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Separate several numbers with commas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload sender titles and balance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a template…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit templates…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Template:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Don&apos;t send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS API token from the SMS panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS token:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} (because of {1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kobikom&apos;s documents say 75 or 65; we count the stricter 65.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each part of a long message costs one SMS.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too long: at most 8 SMS.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The balance ({0}) is not enough for this message ({1} SMS).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No sender titles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Balance: unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Balance used up: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Balance too low: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This message needs {0} SMS.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Balance: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the recipient&apos;s number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot send yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a sender title.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This message costs {0} SMS per recipient, {1} SMS in total. Send it?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your balance may not be enough.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kobikom accepted the message. Delivery is shown in the SMS history.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Was this SMS sent?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server did not confirm, and Kobikom has no record of it. Send it again, or leave it unsent?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server did not confirm the send. Checking with Kobikom whether it went out; it will not be sent twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No connection to the SMS service. The message is saved and will be sent when the connection is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The SMS token was rejected. Enter the token from the SMS panel (Ayarlar &gt; SMS API).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your message is kept and will be sent once the token is fixed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS token rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your message is kept and will be sent once SMS is set up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS is not set up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token not saved</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SmsHistoryWindow</name>
    <message>
        <source>SMS history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Don&apos;t send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No SMS sent yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Was this SMS sent? The server did not confirm.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kobikom has no record of it. Send it again, or leave it unsent?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Several messages at Kobikom could be this one. Send it again, or leave it unsent?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel sending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No connection to the SMS service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting messages are kept and sent when the connection is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS token rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting messages are kept. Fix the token (Send SMS… window or settings) and they will be sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS is not set up</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SmsService</name>
    <message>
        <source>SMS not confirmed</source>
        <extracomment>A sent composer closes itself after this long (the outcome stays in the history). Messages the history window loads. States in which the composer&apos;s own job is over. Builds a lane&apos;s sender: (outbox, config, on_change, on_problem) -&gt; SmsSender.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Was the SMS to {0} sent? The server did not confirm. Open the SMS history to decide.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The SMS to {0} was not sent: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the SMS token.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SmsTableModel</name>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SmsText</name>
    <message>
        <source>Waiting to send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not confirmed: checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs your decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent (cancelled)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plain text: {0} characters per SMS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With Turkish characters: {0} characters per SMS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unicode (emoji, special characters): {0} characters per SMS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} / {1} characters · 1 SMS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} characters · {1} SMS ({2} characters per part)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>× {0} recipients = {1} SMS</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusActions</name>
    <message>
        <source>Settings…</source>
        <extracomment>The application&apos;s name as the tray shows it (not translated: a product name). How often the ringing handset wiggles, and for how long at most. How often the &quot;retrying in N s&quot; countdown is refreshed. How long a tray notification stays (a hint; the desktop may ignore it). Below the status lines: &quot;Dial…&quot;, &quot;Dial number from clipboard&quot;, &quot;Send SMS…&quot;, &quot;Recent calls…&quot;. With &quot;Settings…&quot; and &quot;Contacts…&quot;. With &quot;Demo mode&quot; and &quot;About&quot;.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contacts…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Simulated calls, no connection to Kobikom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusText</name>
    <message>
        <source>Connected</source>
        <extracomment>Longest reason shown (Windows cuts tray tooltips at 127 characters). From this many seconds on, the retry countdown is given in minutes.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Login rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disconnected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extension {extension} · {state}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>retrying now…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>retrying in %n min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>retrying in %n s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 missed call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%n missed calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(demo mode)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusWindow</name>
    <message>
        <source>{0} – no system tray</source>
        <extracomment>Size of the state icon at the top of the window (logical px).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This desktop has no system tray</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kobikom Desktop normally lives in the system tray (notification area), but this desktop does not offer one, so this window shows the status and the menu instead. Caller popups work as usual.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On GNOME, install and enable the &quot;AppIndicator and KStatusNotifierItem Support&quot; extension (Debian/Ubuntu package gnome-shell-extension-appindicator), then log out and back in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closing this window minimizes it; use Quit to exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show last call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(demo mode)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TemplatesDialog</name>
    <message>
        <source>SMS templates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filled in: {name} {number} {company} {agent}. Any other {word} must be filled in before sending.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New template</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <source>Transfer call – Kobikom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transfer the call with {who} to extension:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 1002</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TypePage</name>
    <message>
        <source>Welcome to Kobikom Desktop</source>
        <extracomment>(secret, keyring account, value); an empty value deletes it.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which Kobikom phone system does your company use?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tekil Santral</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your own PBX, managed in the Kobikom panel. You sign in with your panel e-mail and password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bulut Santral (KobiPBX)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The KobiPBX cloud PBX. Your sign-in details and domain UUID come from Kobikom&apos;s technical team.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Just show me</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try the app with a built-in demo PBX that rings now and then. Nothing is sent anywhere; you can set up your account later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sure which one? Ask your IT administrator, or write to yazilim@kobikom.com.tr.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use a settings file prepared by your IT administrator (it holds no passwords).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start the demo</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>_NumberRow</name>
    <message>
        <source>0532 123 45 67</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove this number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>extension {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a phone number</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
