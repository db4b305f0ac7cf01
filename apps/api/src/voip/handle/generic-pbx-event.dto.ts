import { IsEnum, IsInt, IsISO8601, IsOptional, IsString, IsUrl, Length, Matches, Max, Min, ValidateIf } from 'class-validator';

export enum PbxEventType {
  Ringing = 'call.ringing',
  Answered = 'call.answered',
  Ended = 'call.ended',
  RecordingReady = 'call.recording.ready',
}

export enum PbxCallOutcome {
  Answered = 'answered',
  Missed = 'missed',
  Busy = 'busy',
  Rejected = 'rejected',
  Failed = 'failed',
  Canceled = 'canceled',
  Voicemail = 'voicemail',
}

/** One event of the generic PBX contract (docs/generic-pbx.md). Unknown fields are ignored, not refused. */
export class GenericPbxEventDto {
  /** Unique per event: a redelivery with the same id is a duplicate. */
  @IsString()
  @Length(1, 128)
  @Matches(/^[\x21-\x7e]+$/, { message: 'event_id must be printable ASCII without spaces' })
  event_id!: string;

  /** The PBX's id of the whole call (SIP Call-ID, Asterisk Linkedid, FreeSWITCH A-leg Unique-ID). */
  @IsString()
  @Length(1, 128)
  call_id!: string;

  @IsEnum(PbxEventType)
  type!: PbxEventType;

  @IsISO8601({ strict: true })
  occurred_at!: string;

  @IsEnum(['inbound', 'outbound'])
  direction!: 'inbound' | 'outbound';

  /** Caller: a phone number in any format (normalised by us), or an extension. Empty for anonymous. */
  @IsString()
  @Length(0, 64)
  from!: string;

  @IsString()
  @Length(0, 64)
  to!: string;

  /** The agent's extension on the PBX (mapped to a Kommo user). */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  extension?: string;

  @ValidateIf((event: GenericPbxEventDto) => event.type === PbxEventType.Ended || event.outcome !== undefined)
  @IsEnum(PbxCallOutcome)
  outcome?: PbxCallOutcome;

  /** Talk time in seconds (answer → hang-up). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(7 * 24 * 3600)
  duration_sec?: number;

  @ValidateIf((event: GenericPbxEventDto) => event.type === PbxEventType.RecordingReady || event.recording_url !== undefined)
  // http is accepted here; the recording proxy fetches it only from the connection's recordingHost, and
  // plain http only when the operator allows PBXs on the private network.
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true, require_tld: false })
  recording_url?: string;

  /** Ordering hint within the call, when the PBX has one. */
  @IsOptional()
  @IsInt()
  @Min(0)
  sequence?: number;
}
