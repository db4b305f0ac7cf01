import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Min, ValidateNested } from 'class-validator';

export class CardRefDto {
  @IsIn(['contact', 'company', 'lead'])
  type!: 'contact' | 'company' | 'lead';

  @IsInt()
  @Min(1)
  id!: number;
}

/** `POST /widget/calls`: the number as Kommo displays it, the card it was clicked on, and how to call. */
export class PlaceCallDto {
  @IsString()
  @Length(1, 64)
  phone!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => CardRefDto)
  entity?: CardRefDto;

  @IsIn(['softphone', 'callback'])
  mode!: 'softphone' | 'callback';
}
